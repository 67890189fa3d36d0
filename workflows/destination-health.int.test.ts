import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Activities, ApplyDestinationHealthInput } from '../activities/index.js';
import { workflowBundle } from '../src/temporal/worker.js';
import { connectTestTemporal } from '../test/harness/temporal.js';
import {
  DESTINATION_HEALTH_WORKFLOW,
  destinationHealthQuery,
  outcomesSignal,
  resetSignal,
  type DestinationHealthPolicy,
  type OutcomeReport,
} from './destination-health-contract.js';
import type { destinationHealthWorkflow } from './destination-health.js';
import { eventually } from '../test/harness/eventually.js';

/** Queries before a workflow's first task fail: those count as "not yet". */
const until = <T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs?: number) =>
  eventually(read, ok, timeoutMs, { tolerateErrors: true });

let connection: NativeConnection;
let client: Client;

beforeAll(async () => {
  ({ connection, client } = await connectTestTemporal(inject('temporalAddress')));
});
afterAll(async () => connection?.close());

let clock = Date.parse('2026-01-01T00:00:00Z');
const outcome = (success: boolean, attemptId = randomUUID()): OutcomeReport => ({
  attemptId, eventId: `evt-${attemptId}`, success, time: new Date(clock++).toISOString(),
});

type HealthHandle = Awaited<ReturnType<Client['workflow']['start']>>;

async function withHealthWorkflow(policy: DestinationHealthPolicy, body: (h: HealthHandle, effects: ApplyDestinationHealthInput[]) => Promise<void>) {
  const taskQueue = `health-${randomUUID()}`;
  const effects: ApplyDestinationHealthInput[] = [];
  const activities = {
    async applyDestinationHealth(input: ApplyDestinationHealthInput) {
      effects.push(input);
    },
  } satisfies Partial<Activities>;
  const worker = await Worker.create({ connection, namespace: 'herald', taskQueue, workflowBundle: await workflowBundle(), activities });
  await worker.runUntil(async () => {
    const handle = await client.workflow.start<typeof destinationHealthWorkflow>(DESTINATION_HEALTH_WORKFLOW, {
      taskQueue, workflowId: `destination/test/${randomUUID()}`, args: [{ tenantId: 't', destinationId: 'd', policy }],
    });
    await body(handle, effects);
    await handle.signal(resetSignal, { reason: 'deleted' });
    await handle.result();
  });
}


describe('destination health workflow', () => {
  it('when failures reach 5, 7, 9 and 10 of 10 with auto-disable, then it alerts at each and disables once', async () => {
    await withHealthWorkflow({ max: 10, autoDisable: true }, async (h, effects) => {
      for (let i = 0; i < 12; i++) await h.signal(outcomesSignal, [outcome(false)]);
      const state = await until(() => h.query(destinationHealthQuery), (s) => s.outcomesCounted === 12);
      expect(state).toMatchObject({ consecutiveFailures: 12, disabledByHealth: true, thresholdsReached: [50, 70, 90, 100] });
      await until(async () => effects.filter((e) => e.disable).length, (n) => n === 1);
      const alerts = effects.flatMap((e) => e.alerts.map((a) => [a.current, a.threshold]));
      expect(alerts).toEqual([[5, 50], [7, 70], [9, 90], [10, 100]]);
      expect(effects.filter((e) => e.disable)).toHaveLength(1);
      expect(effects[0]!.failing).toBe(true);
    });
  });

  it('when the same outcome is reported twice, then it is counted once; a success resets the count and the flag', async () => {
    await withHealthWorkflow({ max: 10, autoDisable: false }, async (h, effects) => {
      const dup = outcome(false);
      await h.signal(outcomesSignal, [dup, outcome(false)]);
      await h.signal(outcomesSignal, [dup]);
      await until(() => h.query(destinationHealthQuery), (s) => s.outcomesCounted === 2);
      expect((await h.query(destinationHealthQuery)).consecutiveFailures).toBe(2);
      await h.signal(outcomesSignal, [outcome(true)]);
      const state = await until(() => h.query(destinationHealthQuery), (s) => s.outcomesCounted === 3);
      expect(state.consecutiveFailures).toBe(0);
      await until(async () => effects.at(-1)?.failing, (f) => f === false);
    });
  });

  it('when re-enabled, then the count starts again and alerts fire again', async () => {
    await withHealthWorkflow({ max: 2, autoDisable: true }, async (h, effects) => {
      await h.signal(outcomesSignal, [outcome(false), outcome(false)]);
      await until(() => h.query(destinationHealthQuery), (s) => s.disabledByHealth);
      await h.signal(resetSignal, { reason: 'enabled' });
      await h.signal(outcomesSignal, [outcome(false), outcome(false)]);
      await until(() => h.query(destinationHealthQuery), (s) => s.outcomesCounted === 4 && s.disabledByHealth);
      await until(async () => effects.filter((e) => e.disable).length, (n) => n === 2);
    });
  });

  it('when a dead destination floods it past 100 % without auto-disable, then every failure alerts and each effect stays bounded', async () => {
    await withHealthWorkflow({ max: 10, autoDisable: false }, async (h, effects) => {
      for (let i = 0; i < 30; i++) {
        await h.signal(outcomesSignal, Array.from({ length: 200 }, () => outcome(false)));
      }
      await until(() => h.query(destinationHealthQuery), (s) => s.outcomesCounted === 6000, 120_000);
      await until(async () => effects.reduce((n, e) => n + e.alerts.length, 0), (n) => n === 3 + 5991, 60_000);
      expect(Math.max(...effects.map((e) => e.alerts.length))).toBeLessThanOrEqual(1000);
      expect((await h.query(destinationHealthQuery)).consecutiveFailures).toBe(6000);
    });
  });

  it('when a burst of outcomes crosses several continue-as-new boundaries, then the count is exact', async () => {
    // The test server suggests continue-as-new at 300 history events; 600 signals cross it twice.
    await withHealthWorkflow({ max: 1_000_000, autoDisable: false }, async (h) => {
      const batches = Array.from({ length: 600 }, () => [outcome(false), outcome(false), outcome(false)]);
      for (let i = 0; i < batches.length; i += 50) {
        await Promise.all(batches.slice(i, i + 50).map((b) => h.signal(outcomesSignal, b)));
      }
      // Re-send some batches: duplicates after the boundary must not count again.
      await Promise.all(batches.slice(-20).map((b) => h.signal(outcomesSignal, b)));
      const state = await until(() => h.query(destinationHealthQuery), (s) => s.outcomesCounted >= 1800, 120_000);
      expect(state.consecutiveFailures).toBe(1800);
      expect(state.outcomesCounted).toBe(1800);
      const desc = await h.describe();
      expect(desc.runId).not.toBe(h.firstExecutionRunId); // continued as new at least once
    });
  });
});
