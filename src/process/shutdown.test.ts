import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { ShutdownRequestedError } from './abortable.js';
import { createShutdown } from './shutdown.js';

function setUp(deadlineMs = 5_000) {
  const lines: { msg: string; unfinished?: string[] }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  const shutdown = createShutdown({ logger: () => logger, deadlineMs, exit: (code) => resolveExit(code) });
  return { shutdown, lines, exited };
}

describe('shutdown', () => {
  it('when it begins, then the phases run in order, the steps of one phase together, and the process exits with the code', async () => {
    const { shutdown, exited } = setUp();
    const order: string[] = [];
    const step = (name: string, ms = 0) => async () => {
      order.push(`${name} start`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`${name} end`);
    };
    shutdown.onStop('services', 'postgres', step('postgres'));
    shutdown.onStop('connections', 'context', step('context'));
    shutdown.onStop('intake', 'api', step('api', 20));
    shutdown.onStop('intake', 'worker', step('worker', 5));
    void shutdown.begin('SIGTERM', 0);
    expect(shutdown.signal.aborted).toBe(true);
    expect(shutdown.signal.reason).toBeInstanceOf(ShutdownRequestedError);
    expect(await exited).toBe(0);
    expect(order).toEqual(['api start', 'worker start', 'worker end', 'api end', 'context start', 'context end', 'postgres start', 'postgres end']);
  });

  it('when a step hangs past the deadline, then the process exits with 1 and the unfinished step is logged', async () => {
    const { shutdown, exited, lines } = setUp(50);
    shutdown.onStop('intake', 'worker', () => new Promise(() => undefined));
    shutdown.onStop('connections', 'context', () => undefined);
    void shutdown.begin('SIGTERM');
    expect(await exited).toBe(1);
    expect(lines.find((l) => l.msg.startsWith('shutdown deadline passed'))?.unfinished).toEqual(['worker']);
  });

  it('when a step fails, then the others still run', async () => {
    const { shutdown, exited } = setUp();
    const after = vi.fn();
    shutdown.onStop('intake', 'api', () => Promise.reject(new Error('boom')));
    shutdown.onStop('connections', 'context', after);
    void shutdown.begin('fatal', 1);
    expect(await exited).toBe(1);
    expect(after).toHaveBeenCalled();
  });

  it('when a start-up step is still running at the shutdown, then the wait for it ends at once and its late result is stopped before the exit', async () => {
    const { shutdown, exited } = setUp();
    let finishStart: (value: string) => void = () => undefined;
    const stopped: string[] = [];
    const tracked = shutdown.track('services', 'dev server', new Promise<string>((r) => (finishStart = r)), (server) => void stopped.push(server));
    void shutdown.begin('SIGINT');
    await expect(tracked).rejects.toThrow('shutting down (SIGINT)');
    let exitedYet = false;
    void exited.then(() => (exitedYet = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(exitedYet).toBe(false);
    finishStart('server-1');
    expect(await exited).toBe(0);
    expect(stopped).toEqual(['server-1']);
  });

  it('when a start-up step finished before the shutdown, then its stop runs in its phase', async () => {
    const { shutdown, exited } = setUp();
    const stop = vi.fn();
    await expect(shutdown.track('services', 'postgres', Promise.resolve('pg'), stop)).resolves.toBe('pg');
    void shutdown.begin('SIGTERM');
    await exited;
    expect(stop).toHaveBeenCalledWith('pg');
  });
});
