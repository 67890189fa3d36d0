#!/usr/bin/env node
// Stops the child processes of one parent once that parent is gone, even when it was killed with
// SIGKILL and had no chance to stop them itself. The parent starts this script with a pipe on its
// stdin and writes one line per child:
//
//   watch <pid> <signal> <graceMs>   stop <pid> with <signal>, then SIGKILL after <graceMs>
//   forget <pid>                     the child has exited (or was stopped by the parent)
//
// End of input means the parent has exited: every child still watched gets its signal (and its
// process group too, when it leads one), then SIGKILL after its grace time; then this script exits.
// Plain Node with no dependencies, so it starts fast and small. See src/process/child-guardian.ts.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** pid → { signal, graceMs, startTime } */
const watched = new Map();

/** Field 22 of /proc/<pid>/stat: when the process started, so a recycled pid is never signalled. */
function startTime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Running and the same process that was registered; a zombie counts as gone. */
function alive(pid, expectedStart) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return false;
  } catch {
    return true; // no procfs: trust kill(0)
  }
  return expectedStart === null || startTime(pid) === expectedStart;
}

function signal(pid, name) {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, name);
    } catch {
      // Not a group leader, or already gone.
    }
  }
}

function killGroup(leader) {
  try {
    process.kill(-leader, 'SIGKILL');
  } catch {
    // No such group left.
  }
}

function handle(line) {
  const [verb, pidText, signalName, graceText] = line.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 1) return;
  if (verb === 'watch') watched.set(pid, { signal: signalName || 'SIGTERM', graceMs: Number(graceText) || 10_000, startTime: startTime(pid) });
  else if (verb === 'forget') watched.delete(pid);
}

let reaping = false;
async function reap() {
  if (reaping) return;
  reaping = true;
  const children = [...watched].filter(([pid, child]) => alive(pid, child.startTime));
  for (const [pid, child] of children) signal(pid, child.signal);
  await Promise.all(
    children.map(async ([pid, child]) => {
      const deadline = Date.now() + child.graceMs;
      while (alive(pid, child.startTime) && Date.now() < deadline) await sleep(100);
      // Whatever is left of its group (helpers, a hung leader) goes now.
      if (alive(pid, child.startTime)) signal(pid, 'SIGKILL');
      else killGroup(pid);
    }),
  );
  process.exit(0);
}

let buffered = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffered += chunk;
  for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
    handle(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
  }
});
process.stdin.on('end', () => void reap());
process.stdin.on('error', () => void reap());
// Asked to stop directly: do the same job first.
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(name, () => void reap());
