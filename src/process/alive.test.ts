import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { isProcessAlive } from './alive.js';

it('when a process runs, then it is alive; once it has exited, it is not', async () => {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  const pid = child.pid!;
  expect(isProcessAlive(process.pid)).toBe(true);
  expect(isProcessAlive(pid)).toBe(true);

  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));

  expect(isProcessAlive(pid)).toBe(false);
});
