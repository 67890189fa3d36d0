/**
 * The one deadline every send runs under, whatever the wire: the caller's signal (activity
 * cancellation, shutdown) combined with a timer of its own, and which of the two stopped it first.
 * A timeout and a cancellation mean different things to the caller (a failed attempt vs. a
 * requeue), so they are told apart here once.
 */

/** Name of the abort reason that means "timed out" (as `AbortSignal.timeout` uses). */
export const TIMEOUT_REASON_NAME = 'TimeoutError';

export function createTimeoutReason(timeoutMs: number): Error {
  return new DOMException(`delivery attempt timed out after ${timeoutMs} ms`, TIMEOUT_REASON_NAME);
}

export function isTimeoutReason(reason: unknown): boolean {
  return reason instanceof Error && reason.name === TIMEOUT_REASON_NAME;
}

export type StopReason = 'timeout' | 'aborted';

export interface Deadline {
  /** Aborts at the deadline (reason: a `TimeoutError`) or when the caller's signal aborts. */
  readonly signal: AbortSignal;
  /** Settles with whichever stop came first; never rejects. */
  readonly stopped: Promise<StopReason>;
  /** The first stop, if any happened yet. */
  reason(): StopReason | undefined;
  /** Clears the timer and the listener on the caller's signal. Call once the send settled. */
  dispose(): void;
}

export function createDeadline(timeoutMs: number, caller?: AbortSignal): Deadline {
  const timer = new AbortController();
  let first: StopReason | undefined;
  let settle: (reason: StopReason) => void = () => undefined;
  const stopped = new Promise<StopReason>((resolve) => (settle = resolve));
  const stop = (reason: StopReason) => {
    first ??= reason;
    settle(first);
  };
  const onAbort = () => stop('aborted');
  const handle = setTimeout(() => {
    stop('timeout');
    timer.abort(createTimeoutReason(timeoutMs));
  }, timeoutMs);
  if (caller?.aborted) onAbort();
  else caller?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: caller ? AbortSignal.any([caller, timer.signal]) : timer.signal,
    stopped,
    reason: () => first,
    dispose: () => {
      clearTimeout(handle);
      caller?.removeEventListener('abort', onAbort);
    },
  };
}

/** Driver callbacks type their errors as anything; keep the original when it is an Error. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Settles with `work`, or rejects with the signal's reason once it aborts (the work is abandoned),
 * for drivers that take no signal of their own.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(asError(error)); },
    );
  });
}
