import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { ShutdownRequestedError } from './abortable.js';
import { createDependencyStatus } from './dependency-status.js';
import { retryUntilReady } from './retry-until-ready.js';

const fast = { initialMs: 1, maxMs: 5, factor: 2, jitter: 0 };
const silent = pino({ level: 'silent' });

describe('retryUntilReady', () => {
  it('when the dependency fails twice and then answers, then its value is returned and it is marked healthy', async () => {
    const status = createDependencyStatus(silent, ['postgres']);
    const attempt = vi.fn<() => Promise<string>>()
      .mockRejectedValueOnce(new Error('down'))
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValue('pool');
    await expect(retryUntilReady('postgres', attempt, { signal: new AbortController().signal, status, backoff: fast })).resolves.toBe('pool');
    expect(attempt).toHaveBeenCalledTimes(3);
    expect(status.snapshot().postgres).toEqual({ status: 'healthy' });
  });

  it('when an error is fatal, then it is thrown without another attempt', async () => {
    const status = createDependencyStatus(silent);
    const attempt = vi.fn().mockRejectedValue(new Error('pending migrations'));
    const wait = retryUntilReady('postgres', attempt, { signal: new AbortController().signal, status, backoff: fast, isFatal: () => true });
    await expect(wait).rejects.toThrow('pending migrations');
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('when the process shuts down during a hanging attempt, then the wait ends at once and a late value is disposed', async () => {
    const status = createDependencyStatus(silent);
    const controller = new AbortController();
    let resolveAttempt: (value: string) => void = () => undefined;
    const dispose = vi.fn();
    const wait = retryUntilReady('temporal', () => new Promise<string>((resolve) => (resolveAttempt = resolve)), {
      signal: controller.signal, status, backoff: fast, dispose,
    });
    controller.abort(new ShutdownRequestedError('SIGTERM'));
    await expect(wait).rejects.toBeInstanceOf(ShutdownRequestedError);
    resolveAttempt('connection');
    await vi.waitFor(() => expect(dispose).toHaveBeenCalledWith('connection'));
  });

  it('when the process shuts down between attempts, then the backoff wait ends at once', async () => {
    const status = createDependencyStatus(silent);
    const controller = new AbortController();
    const attempt = vi.fn().mockRejectedValue(new Error('down'));
    const wait = retryUntilReady('temporal', attempt, { signal: controller.signal, status, backoff: { ...fast, initialMs: 60_000, maxMs: 60_000 } });
    await vi.waitFor(() => expect(attempt).toHaveBeenCalledTimes(1));
    controller.abort(new ShutdownRequestedError('SIGINT'));
    await expect(wait).rejects.toThrow('shutting down (SIGINT)');
  });
});
