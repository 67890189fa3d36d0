/**
 * `npm run chaos [-- options]`: one chaos run. Progress on stderr, the table on stdout, the JSON
 * report in bench/results/. Exit 0 when every promise held, 1 when one broke (or the run could not
 * be made), 2 on a bad option, 130 when interrupted. See bench/chaos/README.md.
 */
import { runChaos } from './chaos.js';
import { HELP, parseOptions, type ChaosOptions } from './options.js';
import { renderReport, writeReport } from './report.js';

let options: ChaosOptions | null;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
  process.exit(2);
}
if (options === null) {
  process.stdout.write(HELP);
  process.exit(0);
}

const start = Date.now();
const quiet = options.quiet;
const progress = (line: string) => {
  if (quiet) return;
  const s = Math.floor((Date.now() - start) / 1000);
  process.stderr.write(`[chaos ${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${line}\n`);
};

// The first Ctrl-C (or SIGTERM) cuts the run short: the load, the plan and the settle phase stop,
// every process is stopped and a partial report is written. A terminal's Ctrl-C reaches the whole
// process group and the tsx wrapper relays it once more, so only a repeat 2 s after the first
// counts as "exit now"; the exit reaper then still SIGKILLs every child the run registered.
const abort = new AbortController();
let firstSignalAt = 0;
const onSignal = () => {
  if (firstSignalAt === 0) {
    firstSignalAt = Date.now();
    process.stderr.write('\n[chaos] interrupted: stopping everything and reporting (Ctrl-C again to exit now)\n');
    abort.abort();
  } else if (Date.now() - firstSignalAt > 2_000) {
    process.exit(130);
  }
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  const report = await runChaos(options, { progress, signal: abort.signal });
  writeReport(report);
  process.stdout.write(`\n${renderReport(report)}\n`);
  process.exit(report.status === 'INTERRUPTED' ? 130 : report.status === 'ok' ? 0 : 1);
} catch (error) {
  process.stderr.write(`[chaos] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
