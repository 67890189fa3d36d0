import { setTimeout as delay } from 'node:timers/promises';
import type { FaultStep, ServiceKind } from './options.js';
import type { ChaosStack } from './stack.js';

/**
 * Runs a fault plan against the stack: each step kills its service with SIGKILL at its time
 * (seconds after the load started) and starts it again `downS` later. Steps of different kinds may
 * overlap; two steps of one kind run one after the other. An abort skips steps not yet due; a
 * service already killed is still started again, so the run ends with the whole stack up.
 */

export interface FaultRecord {
  readonly kind: ServiceKind;
  readonly planned_at_s: number;
  readonly down_s: number;
  /** Seconds after the load started; null when the step was skipped. */
  killed_at_s: number | null;
  pid: number | null;
  /** When the service was ready again (api: /healthz answers; worker: spawned). */
  back_at_s: number | null;
  error?: string;
}

export async function runFaultPlan(
  stack: ChaosStack,
  plan: readonly FaultStep[],
  loadStart: number,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<FaultRecord[]> {
  const since = () => Number(((Date.now() - loadStart) / 1000).toFixed(1));
  const queues = new Map<ServiceKind, Promise<void>>();
  const records = plan.map((step): FaultRecord => ({
    kind: step.kind, planned_at_s: step.atS, down_s: step.downS, killed_at_s: null, pid: null, back_at_s: null,
  }));

  const runStep = async (step: FaultStep, record: FaultRecord) => {
    await delay(Math.max(0, loadStart + step.atS * 1000 - Date.now()), undefined, { signal }).catch(() => undefined);
    if (signal.aborted) {
      record.error = 'skipped: run interrupted';
      return;
    }
    try {
      record.pid = await stack.kill(step.kind);
      record.killed_at_s = since();
      log(`kill -9 ${step.kind} (pid ${record.pid ?? '?'}); back in ${step.downS} s`);
    } catch (error) {
      record.error = `kill failed: ${String(error)}`;
      log(`kill -9 ${step.kind} failed: ${String(error)}`);
      return;
    }
    await delay(step.downS * 1000);
    try {
      await stack.restart(step.kind);
      record.back_at_s = since();
      log(`${step.kind} is back (pid ${stack.pid(step.kind) ?? '?'})`);
    } catch (error) {
      record.error = `restart failed: ${String(error).split('\n')[0]}`;
      log(`${step.kind} did not come back: ${String(error)}`);
    }
  };

  await Promise.all(plan.map((step, i) => {
    const previous = queues.get(step.kind) ?? Promise.resolve();
    const next = previous.then(() => runStep(step, records[i]!));
    queues.set(step.kind, next);
    return next;
  }));
  return records;
}
