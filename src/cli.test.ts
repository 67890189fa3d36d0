import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/herald.js', import.meta.url));

/**
 * Runs the CLI with `args`; each case exits before anything is started (no Postgres, no Temporal),
 * but loading it through tsx takes seconds, more on a busy machine: hence the generous timeouts.
 */
const SLOW = 120_000;
function run(nodeArgs: string[]) {
  const result = spawnSync(process.execPath, nodeArgs, { encoding: 'utf8', timeout: 35_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const herald = (...args: string[]) => run(['--import', 'tsx', CLI, ...args]);

describe('herald command line', () => {
  it('prints the usage on --help, with or without a command, and exits 0', () => {
    for (const args of [['--help'], ['start', '--help'], ['worker', '-h']]) {
      const { code, stdout } = herald(...args);
      expect(code, args.join(' ')).toBe(0);
      expect(stdout).toMatch(/^Usage: herald <command>/);
    }
  }, SLOW);

  it('refuses an argument it does not take instead of starting without it', () => {
    const { code, stdout, stderr } = herald('start', '--port', '9000');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^herald start: unexpected argument --port\nUsage: herald <command>/);
  }, SLOW);

  it('runs as package.json\'s `herald` bin, plain node loading the TypeScript itself', () => {
    const { code, stdout } = run([BIN, 'migrate', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: herald <command>/);
  }, SLOW);

  it('names an unknown command, and shows the usage without one', () => {
    expect(herald('serve')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^unknown command: serve\nUsage:/) as unknown });
    expect(herald('serve', '--port', '1')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^unknown command: serve\n/) as unknown });
    expect(herald()).toMatchObject({ code: 2, stderr: expect.stringMatching(/^Usage: herald <command>/) as unknown });
  }, SLOW);
});
