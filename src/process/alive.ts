import { readFileSync } from 'node:fs';

/**
 * True while `pid` runs. A zombie (exited, not yet reaped, e.g. by init for an orphan) counts as
 * gone, which `kill(pid, 0)` alone cannot tell; without procfs, `kill(pid, 0)` is trusted.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    // The process ended between the two looks, or there is no procfs.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' || !procfsPresent();
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z';
}

function procfsPresent(): boolean {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
}
