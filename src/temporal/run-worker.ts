import { createActivities } from '../../activities/index.js';
import type { HeraldContext } from '../context.js';
import { createSink } from '../operator-events/sinks/create-sink.js';
import { untilAborted } from '../process/abortable.js';
import type { WaitOptions } from '../process/retry-until-ready.js';
import { createHeraldWorker, workflowBundle } from './worker.js';
import { superviseWorker } from './worker-supervisor.js';
import { createPublishService } from '../services/publish-service.js';
import { startRedrive } from '../services/redrive-service.js';

export interface RunningWorker {
  /** Resolves when the worker has stopped; rejects if it failed for good. */
  readonly done: Promise<void>;
  close(): Promise<void>;
  /** Resolves while the task queue is being polled; rejects saying why not. */
  health(): Promise<void>;
}

export interface WorkerOverrides {
  readonly taskQueue?: string;
  /** Wait (with backoff) for Temporal to accept the worker instead of failing at once. */
  readonly wait?: WaitOptions;
}

/**
 * Creates the delivery worker from a context and keeps it running until closed: a worker that
 * fails is replaced (see worker-supervisor). A broken workflow bundle is not retried.
 */
export async function startWorker(ctx: HeraldContext, overrides: WorkerOverrides = {}): Promise<RunningWorker> {
  const { wait } = overrides;
  const tracing = ctx.telemetry.workerTracing;
  const bundle = workflowBundle(tracing?.workflowModules);
  await (wait ? untilAborted(bundle, wait.signal) : bundle);
  const { sink: sinkConfig } = ctx.config.operatorEvents;
  const sink = sinkConfig ? createSink(sinkConfig, { logger: ctx.logger }) : null;
  const activities = createActivities({ ...ctx, sink });
  try {
    const supervisor = await superviseWorker({
      create: () => createHeraldWorker({
        connection: ctx.connection,
        namespace: ctx.config.temporal.namespace,
        taskQueue: overrides.taskQueue ?? ctx.config.temporal.taskQueue,
        activities,
        tuning: ctx.config.worker,
        tracing,
      }),
      logger: ctx.logger,
      ...(wait ? { wait } : {}),
    });
    // Every worker also starts the deliveries of events stored but never dispatched.
    const redrive = startRedrive({
      events: ctx.events,
      publish: createPublishService(ctx),
      logger: ctx.logger,
      afterMs: ctx.config.worker.redriveAfterMs,
    });
    return {
      done: supervisor.done,
      async health() {
        const problem = supervisor.pollerProblem();
        if (problem) throw new Error(problem);
      },
      async close() {
        await redrive.stop();
        await supervisor.close();
        await sink?.close();
      },
    };
  } catch (error) {
    await sink?.close();
    throw error;
  }
}
