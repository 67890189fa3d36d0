import type { Logger } from '../logger.js';
import { ShutdownRequestedError, untilAborted } from './abortable.js';

/**
 * The one shutdown of a Herald process. Whatever the process has started registers how to stop it,
 * in a phase; at the first SIGINT/SIGTERM (or a fatal error) the start-up waits are aborted, the
 * phases run in order (the steps of a phase concurrently), and the process exits. A hard deadline
 * bounds the whole sequence: when it passes, the process exits anyway and logs what had not finished.
 */

/**
 * `intake`: stop taking work (the API stops accepting, the worker drains its tasks);
 * `connections`: close the Postgres pool and the Temporal connection;
 * `services`: stop what `herald start` runs locally (embedded Postgres, the dev server, brokers).
 */
export type StopPhase = 'intake' | 'connections' | 'services';

/**
 * How long a Herald process's shutdown may take before it exits regardless: the worker's shutdown
 * grace time (10 s, for attempts in flight) plus a few seconds to close connections.
 */
export const SHUTDOWN_DEADLINE_MS = 15_000;
const PHASES: readonly StopPhase[] = ['intake', 'connections', 'services'];

export interface Shutdown {
  /** Aborted when the shutdown begins, with a ShutdownRequestedError: start-up waits end early. */
  readonly signal: AbortSignal;
  /** Registers a stop step. Registered after the shutdown began, it runs at once. */
  onStop(phase: StopPhase, name: string, stop: () => Promise<void> | void): void;
  /**
   * Awaits a start-up step and registers the stop of its result. Once the shutdown has begun the
   * returned promise rejects at once; a result that arrives later is stopped as soon as it does,
   * and the shutdown waits for that (within its deadline).
   */
  track<T>(phase: StopPhase, name: string, start: Promise<T>, stop: (value: T) => Promise<void> | void): Promise<T>;
  /** Begins the shutdown (later calls join the first) and exits with `exitCode` once it is done. */
  begin(reason: string, exitCode?: number): Promise<void>;
}

export interface ShutdownOptions {
  /** Read at each use: the process replaces its logger once the config is loaded. */
  readonly logger: () => Logger;
  /** After this long the process exits (code 1) whatever is still running. */
  readonly deadlineMs: number;
  readonly exit?: (code: number) => void;
}

export function createShutdown(options: ShutdownOptions): Shutdown {
  const controller = new AbortController();
  const steps = new Map<StopPhase, { name: string; stop: () => Promise<void> | void }[]>(PHASES.map((phase) => [phase, []]));
  const running = new Set<string>();
  /** Stops of steps registered after the shutdown began. */
  const late: Promise<void>[] = [];
  /** Start-up steps still running: their results are stopped when they arrive. */
  const starting = new Set<Promise<void>>();
  let begun: Promise<void> | undefined;
  const exit = options.exit ?? ((code: number) => process.exit(code));

  const runStep = async (name: string, stop: () => Promise<void> | void) => {
    running.add(name);
    try {
      await stop();
    } catch (error) {
      options.logger().warn({ err: error, step: name }, 'stop step failed');
    } finally {
      running.delete(name);
    }
  };

  const sequence = async (reason: string, exitCode: number) => {
    const logger = options.logger();
    const deadline = setTimeout(() => {
      logger.error({ unfinished: [...running], deadlineMs: options.deadlineMs }, 'shutdown deadline passed: exiting without waiting for the rest');
      void flush(logger).finally(() => exit(1));
    }, options.deadlineMs);
    for (const phase of PHASES) {
      await Promise.all(steps.get(phase)!.splice(0).map(({ name, stop }) => runStep(name, stop)));
    }
    for (let outstanding = [...starting, ...late.splice(0)]; outstanding.length > 0; outstanding = [...starting, ...late.splice(0)]) {
      await Promise.all(outstanding);
    }
    clearTimeout(deadline);
    logger.info({ reason }, 'stopped');
    await flush(logger);
    exit(exitCode);
  };

  const shutdown: Shutdown = {
    signal: controller.signal,
    onStop(phase, name, stop) {
      if (begun) late.push(runStep(name, stop));
      else steps.get(phase)!.push({ name, stop });
    },
    async track(phase, name, start, stop) {
      const settled: Promise<void> = start.then(
        async (value) => {
          if (begun) await runStep(name, () => stop(value));
        },
        () => undefined,
      );
      starting.add(settled);
      void settled.finally(() => starting.delete(settled));
      const value = await untilAborted(start, controller.signal);
      shutdown.onStop(phase, name, () => stop(value));
      return value;
    },
    begin(reason, exitCode = 0) {
      if (!begun) {
        controller.abort(new ShutdownRequestedError(reason));
        begun = sequence(reason, exitCode);
      }
      return begun;
    },
  };
  return shutdown;
}

/**
 * Begins `shutdown` at the first SIGINT or SIGTERM. A terminal's Ctrl-C reaches every process of the
 * group and wrappers relay it too, so only a repeat well after the first forces an immediate exit.
 */
export function exitOnSignals(shutdown: Shutdown, logger: () => Logger): void {
  let firstAt = 0;
  const handler = (signal: NodeJS.Signals) => {
    if (firstAt > 0) {
      if (Date.now() - firstAt < 2_000) return;
      logger().warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    firstAt = Date.now();
    logger().info({ signal }, 'shutting down (Ctrl-C again to force)');
    void shutdown.begin(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** Waits (briefly) for log lines still buffered, e.g. by the pretty-printing transport's thread. */
function flush(logger: Logger): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 500);
    try {
      logger.flush(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}
