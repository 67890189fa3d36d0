/** Start-up steps that a shutdown must be able to cut short, even when the step itself cannot be cancelled. */

/** The reason a start-up wait ends early: the process is shutting down. */
export class ShutdownRequestedError extends Error {
  override readonly name = 'ShutdownRequestedError';

  constructor(readonly reason: string) {
    super(`shutting down (${reason})`);
  }
}

/** The abort reason as an Error (a signal aborted without a reason carries a DOMException). */
function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new ShutdownRequestedError(String(signal.reason));
}

/**
 * Settles like `work`, or rejects with the abort reason as soon as `signal` aborts. The work itself
 * keeps running; a value it produces after the abort is handed to `dispose`, so a connection opened
 * too late is still closed.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, dispose?: (value: T) => unknown): Promise<T> {
  const late = () => {
    work.then(
      (value) => Promise.resolve(dispose?.(value)).catch(() => undefined),
      () => undefined,
    );
  };
  if (signal.aborted) {
    late();
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      late();
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: Error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Resolves after `ms`, or rejects with the abort reason as soon as `signal` aborts. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const wait = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return untilAborted(wait, signal).finally(() => clearTimeout(timer));
}
