/** Process plumbing shared by the local brokers: spawn with a log, wait until ready, stop for sure. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { guardChild } from '../../process/child-guardian.js';

/** Thrown when a broker process exits or does not become ready in time; `logTail` is its last output. */
export class BrokerStartError extends Error {
  constructor(
    readonly broker: string,
    readonly reason: string,
    readonly logTail: string,
  ) {
    super(`${broker} did not start: ${reason}${logTail ? `\n--- last output ---\n${logTail}` : ''}`);
    this.name = 'BrokerStartError';
  }
}

export interface BrokerProcess {
  readonly child: ChildProcess;
  /** The last lines the process printed (stdout and stderr). */
  tail(): string;
}

const TAIL_LINES = 40;

/**
 * Spawns a broker in its own process group (so `stopBrokerProcess` reaches its helpers too),
 * appending its output to `logFile` when given and keeping the last lines for error messages.
 * The group is stopped even if this process is killed (see child-guardian).
 */
export function spawnBroker(command: string, args: readonly string[], options: SpawnOptions & { logFile?: string }): BrokerProcess {
  const { logFile, ...spawnOptions } = options;
  const child = guardChild(spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'], detached: true }), { graceMs: 10_000 });
  const lines: string[] = [];
  const log = logFile ? (mkdirSync(dirname(logFile), { recursive: true }), createWriteStream(logFile, { flags: 'a' })) : undefined;
  const collect = (chunk: Buffer) => {
    log?.write(chunk);
    lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
    if (lines.length > TAIL_LINES) lines.splice(0, lines.length - TAIL_LINES);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.once('exit', () => log?.end());
  child.on('error', (error) => lines.push(`spawn failed: ${error.message}`));
  return { child, tail: () => lines.join('\n') };
}

/** Polls `ready` until it resolves true; fails early when the process exits, or after `timeoutMs`. */
export async function waitUntilReady(
  broker: string,
  proc: BrokerProcess,
  ready: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new BrokerStartError(broker, `process exited (${proc.child.exitCode ?? proc.child.signalCode})`, proc.tail());
    }
    if (await ready()) return;
    if (Date.now() > deadline) throw new BrokerStartError(broker, `not ready within ${timeoutMs} ms`, proc.tail());
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Sends `signal` to the process (a wrapper script passes it on as it sees fit), then SIGKILL to
 * the whole group after `graceMs`; once the process has exited, whatever is left of its group is
 * killed too. Safe to call more than once.
 */
export function stopBrokerProcess(proc: BrokerProcess, graceMs: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const { child } = proc;
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    const pid = child.pid;
    const kill = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      // Helpers left in the group (e.g. Erlang's inet_gethost) go with the leader.
      signalGroup(pid, 'SIGKILL');
      resolve();
    });
    child.kill(signal);
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export function tcpAccepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Every `name` on this process's PATH, in PATH order. */
export function onPathAll(name: string): string[] {
  return (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name)).filter((candidate) => existsSync(candidate));
}

export function secondsSince(startedMs: number): number {
  return Math.round((Date.now() - startedMs) / 100) / 10;
}
