import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createDependencyStatus } from '../process/dependency-status.js';
import { superviseWorker, type SupervisedWorker } from './worker-supervisor.js';

const silent = pino({ level: 'silent' });
const fast = { initialMs: 1, maxMs: 5, factor: 2, jitter: 0 };

/** A worker whose run() lasts until shutdown() or until the test fails it. */
class FakeWorker implements SupervisedWorker {
  state = 'INITIALIZED';
  pollers = { workflowPollerState: 'POLLING', activityPollerState: 'POLLING' };
  private finish: (error?: Error) => void = () => undefined;
  run(): Promise<void> {
    this.state = 'RUNNING';
    return new Promise<void>((resolve, reject) => {
      this.finish = (error) => {
        this.state = error ? 'FAILED' : 'STOPPED';
        if (error) reject(error);
        else resolve();
      };
    });
  }
  shutdown(): void {
    this.state = 'DRAINING';
    setTimeout(() => this.finish(), 1);
  }
  fail(error: Error): void {
    this.finish(error);
  }
  getState(): string {
    return this.state;
  }
  getStatus() {
    return this.pollers;
  }
}

describe('worker supervisor', () => {
  it('when the worker runs and polls, then there is no poller problem; a failed poller or a replacement is one', async () => {
    const workers: FakeWorker[] = [];
    // The replacement's creation waits on this gate, so the test sees the gap between two workers.
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const create = vi.fn(async () => {
      if (workers.length > 0) await gate;
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    });
    const supervisor = await superviseWorker({ create, logger: silent, backoff: fast });
    expect(supervisor.pollerProblem()).toBeNull();

    workers[0]!.pollers = { workflowPollerState: 'POLLING', activityPollerState: 'FAILED' };
    expect(supervisor.pollerProblem()).toBe('the activity task poller is failed');

    workers[0]!.fail(new Error('Poll failed'));
    await vi.waitFor(() => expect(supervisor.pollerProblem()).toBe('the worker is being replaced'));
    openGate();
    await vi.waitFor(() => expect(supervisor.pollerProblem()).toBeNull());
    expect(workers).toHaveLength(2);
    await supervisor.close();
  });

  it('when a running worker fails, then a new one is created and run, and close stops it', async () => {
    const workers: FakeWorker[] = [];
    const create = vi.fn(async () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    });
    const supervisor = await superviseWorker({ create, logger: silent, backoff: fast });
    expect(workers[0]!.getState()).toBe('RUNNING');

    workers[0]!.fail(new Error('Poll failed: namespace is gone'));
    await vi.waitFor(() => expect(workers[1]?.getState()).toBe('RUNNING'));

    await supervisor.close();
    expect(workers[1]!.getState()).toBe('STOPPED');
    expect(create).toHaveBeenCalledTimes(2);
    await expect(supervisor.done).resolves.toBeUndefined();
  });

  it('when Temporal is unreachable at start, then creating the worker is retried until it answers', async () => {
    const status = createDependencyStatus(silent, ['temporal']);
    const create = vi.fn<() => Promise<SupervisedWorker>>()
      .mockRejectedValueOnce(new Error('tcp connect error'))
      .mockRejectedValueOnce(new Error('tcp connect error'))
      .mockImplementation(async () => new FakeWorker());
    const supervisor = await superviseWorker({ create, logger: silent, wait: { signal: new AbortController().signal, status, backoff: fast } });
    expect(create).toHaveBeenCalledTimes(3);
    expect(status.snapshot().temporal).toEqual({ status: 'healthy' });
    await supervisor.close();
  });

  it('when the process shuts down while Temporal is unreachable, then the wait for the first worker ends at once', async () => {
    const status = createDependencyStatus(silent, ['temporal']);
    const shutdown = new AbortController();
    const create = vi.fn().mockRejectedValue(new Error('tcp connect error'));
    const starting = superviseWorker({ create, logger: silent, wait: { signal: shutdown.signal, status, backoff: { ...fast, initialMs: 60_000, maxMs: 60_000 } } });
    await vi.waitFor(() => expect(create).toHaveBeenCalled());
    shutdown.abort(new Error('SIGTERM'));
    await expect(starting).rejects.toThrow('SIGTERM');
  });
});
