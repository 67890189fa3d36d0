import type { Logger } from '../logger.js';
import { sleepUnlessAborted, untilAborted } from '../process/abortable.js';
import { backoffDelay, dependencyBackoff, type BackoffPolicy } from '../process/backoff.js';
import { retryUntilReady, type WaitOptions } from '../process/retry-until-ready.js';

/**
 * Keeps one Temporal worker running for the life of the process. The SDK's core retries its task
 * polls by itself for as long as the server is unreachable, so an outage alone does not end a
 * worker; when `run()` does end (a fatal poll error after a long outage, or any other failure),
 * a new worker is created after a backoff instead of the process exiting.
 */

/** The part of `Worker` the supervisor uses. */
export interface SupervisedWorker {
  run(): Promise<void>;
  shutdown(): void;
  getState(): string;
  getStatus(): { readonly workflowPollerState: string; readonly activityPollerState: string };
}

export interface WorkerSupervisorOptions {
  readonly create: () => Promise<SupervisedWorker>;
  readonly logger: Logger;
  /**
   * With it, creating the first worker is retried until Temporal answers (or the wait is aborted);
   * without it, the first failure is thrown.
   */
  readonly wait?: WaitOptions;
  /** Between a failed worker and its replacement. */
  readonly backoff?: BackoffPolicy;
  /** A worker that ran this long resets the backoff. */
  readonly healthyAfterMs?: number;
}

export interface WorkerSupervisor {
  /** Resolves when the supervisor has stopped (after `close`). */
  readonly done: Promise<void>;
  /** Stops the current worker (it drains its tasks within its shutdown grace time) and the loop. */
  close(): Promise<void>;
  /** Why the task queue is not being polled now (no running worker, a failed poller), or null when it is. */
  pollerProblem(): string | null;
}

/** Resolves once the first worker is created and running. */
export async function superviseWorker(options: WorkerSupervisorOptions): Promise<WorkerSupervisor> {
  const { create, logger, wait } = options;
  const closing = new AbortController();
  const signal = wait ? AbortSignal.any([wait.signal, closing.signal]) : closing.signal;
  const createRetried = () =>
    wait ? retryUntilReady('temporal', create, { ...wait, signal }) : untilAborted(create(), signal);

  let current: SupervisedWorker = await createRetried();
  let replacing = false;
  const loop = async () => {
    for (let failures = 0; ; ) {
      if (signal.aborted) return;
      const startedAt = Date.now();
      try {
        await current.run();
        if (signal.aborted) return;
        logger.warn('the Temporal worker stopped by itself; starting a new one');
      } catch (error) {
        if (signal.aborted) return;
        logger.error({ err: error }, 'the Temporal worker failed; starting a new one');
      }
      replacing = true;
      failures = Date.now() - startedAt >= (options.healthyAfterMs ?? 60_000) ? 1 : failures + 1;
      try {
        await sleepUnlessAborted(backoffDelay(failures, options.backoff ?? dependencyBackoff), signal);
        current = await createRetried();
        replacing = false;
      } catch (error) {
        if (signal.aborted) return;
        throw error;
      }
    }
  };
  const done = loop();
  done.catch(() => undefined);
  return {
    done,
    async close() {
      closing.abort();
      if (current.getState() === 'RUNNING') current.shutdown();
      await done;
    },
    pollerProblem() {
      if (replacing) return 'the worker is being replaced';
      if (current.getState() !== 'RUNNING') return `the worker is ${current.getState().toLowerCase()}`;
      const { workflowPollerState, activityPollerState } = current.getStatus();
      if (workflowPollerState !== 'POLLING') return `the workflow task poller is ${workflowPollerState.toLowerCase()}`;
      if (activityPollerState !== 'POLLING') return `the activity task poller is ${activityPollerState.toLowerCase()}`;
      return null;
    },
  };
}
