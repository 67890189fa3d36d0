/** What the broker lifecycle tests check after a stop: which processes are still alive (Linux `/proc`). */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of live (not zombie) processes whose command line mentions `text`. */
export function processesMentioning(text: string): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
      return cmdline.includes(text) && state !== 'Z' ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}
