import { untilAborted, sleepUnlessAborted } from './abortable.js';
import { backoffDelay, dependencyBackoff, type BackoffPolicy } from './backoff.js';
import type { DependencyStatus } from './dependency-status.js';

export interface WaitOptions {
  /** Aborted when the process shuts down: the wait then rejects with the abort reason. */
  readonly signal: AbortSignal;
  readonly status: DependencyStatus;
  readonly backoff?: BackoffPolicy;
}

export interface RetryOptions<T> extends WaitOptions {
  /** Errors that no wait can cure (e.g. pending migrations): rethrown at once. */
  readonly isFatal?: (error: unknown) => boolean;
  /** Releases a value an attempt produces after the wait was aborted. */
  readonly dispose?: (value: T) => unknown;
}

/**
 * Calls `attempt` until it succeeds, with capped exponential backoff between failures, reporting
 * each outcome to `status` under `name` (which logs once per change). Only a fatal error or the
 * abort of `signal` ends the wait without a value.
 */
export async function retryUntilReady<T>(name: string, attempt: () => Promise<T>, options: RetryOptions<T>): Promise<T> {
  const { signal, status, isFatal, dispose } = options;
  for (let failures = 0; ; ) {
    try {
      const value = await untilAborted(attempt(), signal, dispose);
      status.ready(name);
      return value;
    } catch (error) {
      signal.throwIfAborted();
      if (isFatal?.(error)) throw error;
      failures += 1;
      status.waiting(name, error);
    }
    await sleepUnlessAborted(backoffDelay(failures, options.backoff ?? dependencyBackoff), signal);
  }
}
