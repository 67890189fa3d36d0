import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkerOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Activities } from '../../activities/index.js';
import type { Config } from '../config/config.js';

export const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles the workflow code once per process (webpack + swc, about two seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: { log: () => undefined, trace: () => undefined,
    debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } });
  return bundle;
}

export interface HeraldWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly activities: Activities;
  readonly tuning: Config['worker'];
}

/** Slots below which the resource-based tuner never throttles, so a busy machine still makes progress. */
const MINIMUM_SLOTS = 4;

/**
 * `fixed`: at most the configured number of workflow tasks, activities and local activities at
 * once. `resource-based`: Temporal's tuner hands out slots (between a small minimum and those
 * maxima) only while the machine's CPU and memory are under target, so a worker whose CPU is taken
 * by other work polls less instead of holding tasks it cannot finish before they time out.
 */
export function workerSlotOptions(tuning: Config['worker']): Pick<WorkerOptions, 'tuner' | 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentLocalActivityExecutions'> {
  if (tuning.tuner === 'fixed') {
    return {
      maxConcurrentActivityTaskExecutions: tuning.maxConcurrentActivities,
      maxConcurrentLocalActivityExecutions: tuning.maxConcurrentActivities,
      maxConcurrentWorkflowTaskExecutions: tuning.maxConcurrentWorkflowTasks,
    };
  }
  const slots = (maximumSlots: number) => ({ minimumSlots: Math.min(MINIMUM_SLOTS, maximumSlots), maximumSlots });
  return {
    tuner: {
      tunerOptions: { targetCpuUsage: tuning.targetCpuUsage, targetMemoryUsage: 0.85 },
      workflowTaskSlotOptions: slots(tuning.maxConcurrentWorkflowTasks),
      activityTaskSlotOptions: slots(tuning.maxConcurrentActivities),
      localActivityTaskSlotOptions: slots(tuning.maxConcurrentActivities),
    },
  };
}

/**
 * The worker hosting all of Herald's workflows (delivery, destination health, operator events) and
 * their activities. Stateless: run as many as load needs.
 */
export async function createHeraldWorker(options: HeraldWorkerOptions): Promise<Worker> {
  const { tuning } = options;
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: options.activities,
    ...workerSlotOptions(tuning),
    maxCachedWorkflows: tuning.maxCachedWorkflows,
    // In-flight attempts get this long to finish on shutdown; unfinished ones are retried elsewhere.
    shutdownGraceTime: '10s',
  });
}
