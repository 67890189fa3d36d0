/** One-time installation steps (apt-get, pip, go build) run as child processes with captured output. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** Thrown when a broker cannot be installed or built on this machine; `hint` says what to do instead. */
export class BrokerInstallError extends Error {
  constructor(
    readonly broker: string,
    readonly reason: string,
    readonly hint: string,
  ) {
    super(`${broker} is not available and could not be installed: ${reason}. ${hint}`);
    this.name = 'BrokerInstallError';
  }
}

const OUTPUT_TAIL_CHARS = 4_000;

/** Runs a command to completion; rejects with its exit code and the tail of its output. */
export function runInstallStep(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 15 * 60_000,
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal}):\n${output}`));
    });
  });
}

/** Short hex digest of files and strings, to key a cached build by its inputs. */
export function inputsHash(files: readonly string[], extra: readonly string[] = []): string {
  const hash = createHash('sha256');
  // By name and content, not path: checkouts of the same sources (git worktrees) share one build.
  for (const file of files) hash.update(basename(file)).update('\0').update(readFileSync(file)).update('\0');
  for (const value of extra) hash.update(value).update('\0');
  return hash.digest('hex').slice(0, 16);
}
