/**
 * The `herald` command line. Only arguments are parsed here, with nothing else loaded, so `--help`
 * and mistakes are answered at once; the commands themselves are in `process/commands.ts`.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from './process/commands.js'; // a type only: erased, loads nothing

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const usage = `Usage: herald <command>

  start     all-in-one: API + worker, with embedded Postgres and a Temporal dev server
            for whatever DATABASE_URL / TEMPORAL_ADDRESS leave unset
  api       the REST API only (DATABASE_URL, TEMPORAL_ADDRESS)
  worker    the delivery worker only (DATABASE_URL, TEMPORAL_ADDRESS)
  migrate   apply database migrations to DATABASE_URL

Every setting is an environment variable; .env.example lists each with its default.
`;

const [command = '', ...extra] = process.argv.slice(2);
const asksHelp = (arg: string) => arg === '--help' || arg === '-h' || arg === 'help';
if (asksHelp(command) || extra.some(asksHelp)) {
  process.stdout.write(usage);
  process.exit(0);
}
function refuse(problem: string): never {
  process.stderr.write(`${problem}${usage}`);
  process.exit(2);
}
const commands: readonly Command[] = ['start', 'api', 'worker', 'migrate'];
if (!commands.includes(command as Command)) refuse(command ? `unknown command: ${command}\n` : '');
// Every setting is an environment variable (.env.example): an argument here is a mistake,
// refused rather than ignored, so `herald start --port 9000` does not start on the default port.
if (extra.length > 0) refuse(`herald ${command}: unexpected argument ${extra[0]}\n`);
const { runCommand } = await import('./process/commands.js');
await runCommand(command as Command, repoRoot);
