import { createActivities } from '../../activities/index.js';
import type { HeraldContext } from '../context.js';
import { createSink } from '../operator-events/sinks/create-sink.js';
import { createPublishService } from '../services/publish-service.js';
import { startRedrive } from '../services/redrive-service.js';
import { createDeliveryWorker } from './worker.js';

export interface RunningWorker {
  /** Resolves when the worker has stopped; rejects if it failed. */
  readonly done: Promise<void>;
  close(): Promise<void>;
}

/** Creates the delivery worker from a context and runs it until closed. */
export async function startWorker(ctx: HeraldContext, overrides: { taskQueue?: string } = {}): Promise<RunningWorker> {
  const { sink: sinkConfig } = ctx.config.operatorEvents;
  const sink = sinkConfig ? createSink(sinkConfig, { logger: ctx.logger }) : null;
  const worker = await createDeliveryWorker({
    connection: ctx.connection,
    namespace: ctx.config.temporal.namespace,
    taskQueue: overrides.taskQueue ?? ctx.config.temporal.taskQueue,
    activities: createActivities({ ...ctx, sink }),
    tuning: ctx.config.worker,
  });
  const done = worker.run();
  const redrive = startRedrive({
    events: ctx.events,
    publish: createPublishService(ctx),
    logger: ctx.logger,
    afterMs: ctx.config.worker.redriveAfterMs,
  });
  return {
    done,
    async close() {
      await redrive.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
      await sink?.close();
    },
  };
}
