import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkerOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Activities } from '../../activities/index.js';
import type { Config } from '../config/config.js';
import type { WorkerTracing } from '../telemetry/telemetry.js';

export const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/**
 * The modules a worker evaluates once in its reusable V8 context instead of once per workflow:
 * the SDK's workflow API (`@temporalio/workflow`'s index, which its worker interface does not
 * load) and the workflow modules themselves. Without this every new workflow, one per delivery,
 * evaluates them again (webpack defines each export's getter anew), fourteen of them Herald's: a
 * replay of a one-attempt history costs 0.5–0.8 ms less CPU with them shared
 * (bench/replay-cost.ts). Shared modules are deep-frozen by the SDK and must hold no state of
 * their own: `workflows/shared-modules.test.ts` keeps their top level to constants, signal, query
 * and search-attribute definitions and activity proxies.
 */
export function sharedWorkflowModules(path: string): string[] {
  return ['@temporalio/workflow', path];
}

/**
 * Bundles the workflow code once per process and set of workflow interceptor modules (webpack +
 * swc, about two seconds). Without tracing there are none: the bundle is the workflows alone.
 */
export function workflowBundle(interceptorModules: readonly string[] = []): Promise<WorkflowBundleWithSourceMap> {
  const key = interceptorModules.join('\n');
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = bundleWorkflowCode({
      workflowsPath, workflowInterceptorModules: [...interceptorModules], preloadModules: sharedWorkflowModules(workflowsPath),
      logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    bundles.set(key, bundle);
  }
  return bundle;
}

export interface HeraldWorkerOptions {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly taskQueue: string;
  readonly activities: Activities;
  readonly tuning: Config['worker'];
  /** Activity interceptors, the workflow span sink and interceptor modules; null with tracing off. */
  readonly tracing?: WorkerTracing | null;
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
  const { tuning, tracing } = options;
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: await workflowBundle(tracing?.workflowModules),
    activities: options.activities,
    ...(tracing ? { interceptors: tracing.interceptors, sinks: tracing.sinks } : {}),
    ...workerSlotOptions(tuning),
    maxCachedWorkflows: tuning.maxCachedWorkflows,
    // In-flight attempts get this long to finish on shutdown; unfinished ones are retried elsewhere.
    shutdownGraceTime: '10s',
  });
}
