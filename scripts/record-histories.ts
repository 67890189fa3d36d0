/**
 * Records the workflow histories the replay test (`workflows/index.replay.test.ts`) checks
 * determinism against. Each scenario runs one workflow on a real Temporal dev server (the tests'
 * own: in memory, continue-as-new suggested at 300 events; or TEMPORAL_ADDRESS) with a fresh worker
 * and fake activities, then writes every run of it as proto-JSON to
 * `workflows/testdata/histories/<scenario>.json` (later runs of a continue-as-new chain as
 * `<scenario>-run-2.json`, …).
 *
 *   npx tsx scripts/record-histories.ts                  # every scenario
 *   npx tsx scripts/record-histories.ts destination-     # the scenarios whose name starts so
 *
 * Record with the workflow code as it is before a change, then replay with the changed code: a
 * history that no longer replays needs `patched()` versioning, not a re-recording.
 * The delivery histories of `workflows/delivery.int.test.ts` are recorded by that test
 * (`RECORD_HISTORIES=1`); the scenarios here cover the paths it does not.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { Client, WorkflowHandleWithFirstExecutionRunId, WorkflowHandleWithSignaledRunId } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Activities, AttemptOutcome, DeliverAttemptInput } from '../activities/index.js';
import type { OperatorEvent, OperatorTopic } from '../src/operator-events/types.js';
import { workflowBundle } from '../src/temporal/worker.js';
import { TEST_NAMESPACE, connectTestTemporal, startTestTemporal } from '../test/harness/temporal.js';
import { attemptsQuery, retrySignal, type DeliveryInput } from '../workflows/delivery-contract.js';
import type { deliveryWorkflow } from '../workflows/delivery.js';
import {
  DESTINATION_HEALTH_WORKFLOW,
  destinationHealthQuery,
  outcomesSignal,
  resetSignal,
  type OutcomeReport,
} from '../workflows/destination-health-contract.js';
import type { destinationHealthWorkflow } from '../workflows/destination-health.js';
import { operatorEventsSignal, type RawOperatorEvent } from '../workflows/operator-events-contract.js';
import type { operatorEventDeliveryWorkflow } from '../workflows/operator-event-delivery.js';
import type { operatorEventsWorkflow } from '../workflows/operator-events.js';
import { eventually } from '../test/harness/eventually.js';

/** Queries before a workflow's first task fail: those count as "not yet". */
const until = <T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs?: number) =>
  eventually(read, ok, timeoutMs, { tolerateErrors: true });

const HISTORIES = new URL('../workflows/testdata/histories/', import.meta.url);

interface Scenario {
  /** The history file's name without `.json`. */
  readonly name: string;
  readonly activities: Partial<Activities>;
  /**
   * Starts the workflow with `options` and drives it to the end of what is worth recording; returns
   * its first run. The workflow id is the scenario's name: the replay test replays each file under
   * the id its name gives, since ids derived from it (a child's) are part of the history.
   */
  drive(client: Client, options: StartOptions): Promise<FirstRun>;
}

interface StartOptions {
  readonly taskQueue: string;
  readonly workflowId: string;
}

interface FirstRun {
  readonly workflowId: string;
  readonly runId: string;
}

const firstRun = (handle: WorkflowHandleWithFirstExecutionRunId | WorkflowHandleWithSignaledRunId): FirstRun => ({
  workflowId: handle.workflowId,
  runId: 'firstExecutionRunId' in handle ? handle.firstExecutionRunId : handle.signaledRunId,
});


// ------------------------------------------------------------------ delivery (paths the int test leaves out)

const deliveryInput = (overrides: Partial<DeliveryInput>): DeliveryInput => ({
  tenantId: 't', eventId: randomUUID(), destinationId: 'd', destinationType: 'webhook', topic: 'x', target: 'https://example.test',
  eligibleForRetry: true, retryDelaysSeconds: [0.2], attemptTimeoutMs: 1000, awaitManualRetrySeconds: 0,
  revision: 2, attemptMode: 'local', startedBy: 'publish', ...overrides,
});

/** deliverAttempt answering from `script` (a failure by default). */
const deliverAttempt = (script: (input: DeliverAttemptInput) => Partial<AttemptOutcome> = () => ({})) => ({
  async deliverAttempt(input: DeliverAttemptInput): Promise<AttemptOutcome> {
    return { status: 'failed', code: '500', attemptId: `a${input.attemptNumber}`, time: new Date().toISOString(), ...script(input) };
  },
});

const deliveryScenarios: Scenario[] = [
  {
    // As POST /retry starts a closed delivery again: signal-with-start, numbering continued.
    name: 'manual-retry-start',
    activities: deliverAttempt(),
    async drive(client, options) {
      const handle = await client.workflow.signalWithStart<typeof deliveryWorkflow, [{ requestedBy?: string }?]>('deliveryWorkflow', {
        ...options,
        args: [deliveryInput({ startedBy: 'manual-retry', previousAttempts: 4 })],
        signal: retrySignal, signalArgs: [{ requestedBy: 'api' }],
      });
      await handle.result();
      return firstRun(handle);
    },
  },
  {
    // Normal activities; once exhausted the run waits for a manual retry, which delivers.
    name: 'activity-mode-manual-retry-after-exhausted',
    activities: deliverAttempt((i) => (i.manual ? { status: 'success', code: '200' } : {})),
    async drive(client, options) {
      const handle = await client.workflow.start<typeof deliveryWorkflow>('deliveryWorkflow', {
        ...options,
        args: [deliveryInput({ attemptMode: 'activity', awaitManualRetrySeconds: 600 })],
      });
      await until(() => handle.query(attemptsQuery), (s) => s.status === 'exhausted');
      await handle.signal(retrySignal, { requestedBy: 'record' });
      await handle.result();
      return firstRun(handle);
    },
  },
  {
    // No manual retry comes within the wait: the run ends exhausted.
    name: 'manual-retry-wait-times-out',
    activities: deliverAttempt(),
    async drive(client, options) {
      const handle = await client.workflow.start<typeof deliveryWorkflow>('deliveryWorkflow', {
        ...options,
        args: [deliveryInput({ eligibleForRetry: false, awaitManualRetrySeconds: 1 })],
      });
      await handle.result();
      return firstRun(handle);
    },
  },
  {
    // 60 failures with zero delays cross the continue-as-new suggestion (normal activities: local
    // ones would all run inside one workflow task); the second run starts from the carried state.
    name: 'activity-mode-continue-as-new',
    activities: deliverAttempt((i) => (i.attemptNumber < 60 ? {} : { status: 'success', code: '200' })),
    async drive(client, options) {
      const handle = await client.workflow.start<typeof deliveryWorkflow>('deliveryWorkflow', {
        ...options,
        args: [deliveryInput({ attemptMode: 'activity', retryDelaysSeconds: Array.from({ length: 59 }, () => 0) })],
      });
      await handle.result();
      return firstRun(handle);
    },
  },
];

// ------------------------------------------------------------------ destination health

let clock = Date.parse('2026-01-01T00:00:00Z');
const outcome = (success: boolean, attemptId = randomUUID()): OutcomeReport => ({
  attemptId, eventId: `evt-${attemptId}`, success, time: new Date(clock++).toISOString(),
});

const applyDestinationHealth = (): Partial<Activities> => ({ async applyDestinationHealth() {} });

const startHealth = (client: Client, options: StartOptions, max: number, autoDisable: boolean) =>
  client.workflow.start<typeof destinationHealthWorkflow>(DESTINATION_HEALTH_WORKFLOW, {
    ...options, args: [{ tenantId: 't', destinationId: 'd', policy: { max, autoDisable } }],
  });

// Runs started before the rename (`destinationEntityWorkflow`) are checked by the histories recorded then.
const healthScenarios: Scenario[] = [
  {
    // 2, 3 and 4 failures of 4 (50/70/90/100 %), a duplicate, the disable, a re-enable, a success, a delete.
    name: 'destination-health-alerts-disable-reset',
    activities: applyDestinationHealth(),
    async drive(client, options) {
      const handle = await startHealth(client, options, 4, true);
      const counted = (n: number) => until(() => handle.query(destinationHealthQuery), (s) => s.outcomesCounted === n);
      const duplicate = outcome(false);
      await handle.signal(outcomesSignal, [duplicate, outcome(false)]);
      await counted(2);
      await handle.signal(outcomesSignal, [duplicate, outcome(false)]);
      await counted(3);
      await handle.signal(outcomesSignal, [outcome(false), outcome(false)]);
      await until(() => handle.query(destinationHealthQuery), (s) => s.outcomesCounted === 5 && s.disabledByHealth);
      await handle.signal(resetSignal, { reason: 'enabled' });
      await handle.signal(outcomesSignal, [outcome(false), outcome(true)]);
      await counted(7);
      await handle.signal(resetSignal, { reason: 'deleted' });
      await handle.result();
      return firstRun(handle);
    },
  },
  {
    // Failures broken by a success now and then, until the history crosses continue-as-new.
    name: 'destination-health-continue-as-new',
    activities: applyDestinationHealth(),
    async drive(client, options) {
      const handle = await startHealth(client, options, 1000, false);
      // Signals that arrive together share a workflow task, so how many it takes varies: send until it continues.
      let sent = 0;
      while (sent < 5000 && (sent % 20 !== 0 || (await handle.describe()).runId === handle.firstExecutionRunId)) {
        await handle.signal(outcomesSignal, [outcome(false), outcome(sent % 40 === 39)]);
        sent += 1;
      }
      await until(() => handle.query(destinationHealthQuery), (s) => s.outcomesCounted === 2 * sent);
      await handle.signal(resetSignal, { reason: 'deleted' });
      await client.workflow.getHandle(handle.workflowId).result();
      return firstRun(handle);
    },
  },
];

// ------------------------------------------------------------------ operator events

const raw = (topic: OperatorTopic, n = 0): RawOperatorEvent => ({
  topic, tenantId: 't', time: new Date(clock++).toISOString(), data: { n },
});

const envelope = (topic: OperatorTopic): OperatorEvent => ({
  id: randomUUID(), topic, time: new Date(clock++).toISOString(), tenant_id: 't', data: {},
});

/** sendOperatorEvents that fails the first `failures` calls whose batch has `topic`, then accepts. */
const sendOperatorEvents = (failing?: { topic: OperatorTopic; failures: number }): Partial<Activities> => {
  let failed = 0;
  return {
    async sendOperatorEvents(events: OperatorEvent[]) {
      if (failing && events.some((e) => e.topic === failing.topic) && failed < failing.failures) {
        failed += 1;
        throw ApplicationFailure.retryable('sink unavailable', 'sink_unavailable');
      }
    },
  };
};

const startDeliveryChild = (client: Client, options: StartOptions, events: OperatorEvent[]) =>
  client.workflow.start<typeof operatorEventDeliveryWorkflow>('operatorEventDeliveryWorkflow', {
    ...options, args: [events],
  });

/** One operator-event delivery child over `topics`, with the sink refusing `failing.topic` `failing.failures` times. */
const deliveryChildScenario = (name: string, failing: { topic: OperatorTopic; failures: number }, topics: OperatorTopic[]): Scenario => ({
  name,
  activities: sendOperatorEvents(failing),
  async drive(client, options) {
    const handle = await startDeliveryChild(client, options, topics.map(envelope));
    await handle.result();
    return firstRun(handle);
  },
});

const operatorEventScenarios: Scenario[] = [
  {
    // One event more than a chunk (two children), then a single one; ended by terminate (it never ends itself).
    name: 'operator-events-batches',
    activities: sendOperatorEvents(),
    async drive(client, options) {
      const handle = await client.workflow.signalWithStart<typeof operatorEventsWorkflow, [RawOperatorEvent[]]>('operatorEventsWorkflow', {
        ...options, args: [{ deploymentId: 'record' }],
        signal: operatorEventsSignal,
        signalArgs: [Array.from({ length: 201 }, (_, i) => raw(i % 2 ? 'attempt.failed' : 'tenant.subscription.updated', i))],
      });
      const children = async () => (await handle.fetchHistory()).events?.filter((e) => e.childWorkflowExecutionCompletedEventAttributes).length ?? 0;
      await until(children, (n) => n === 2);
      await handle.signal(operatorEventsSignal, [raw('alert.destination.disabled')]);
      await until(children, (n) => n === 3);
      await handle.terminate('recorded');
      return firstRun(handle);
    },
  },
  {
    // One batch at a time, each delivered before the next, until the run continues as new.
    name: 'operator-events-continue-as-new',
    activities: sendOperatorEvents(),
    async drive(client, options) {
      const handle = await client.workflow.start<typeof operatorEventsWorkflow>('operatorEventsWorkflow', {
        ...options, args: [{ deploymentId: '' }],
      });
      const first = client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
      const delivered = async () => (await first.fetchHistory()).events?.filter((e) => e.childWorkflowExecutionCompletedEventAttributes).length ?? 0;
      for (let sent = 1; sent <= 200 && (await first.describe()).status.name === 'RUNNING'; sent++) {
        await handle.signal(operatorEventsSignal, [raw('attempt.success', sent)]);
        await until(async () => ((await first.describe()).status.name === 'RUNNING' ? delivered() : sent), (n) => n === sent);
      }
      await client.workflow.getHandle(handle.workflowId).terminate('recorded');
      return firstRun(handle);
    },
  },
  // At-least-once events retried until the sink takes them; best-effort ones go through at once.
  deliveryChildScenario('operator-event-delivery-at-least-once-retried', { topic: 'alert.destination.consecutive_failure', failures: 2 },
    ['alert.destination.consecutive_failure', 'tenant.subscription.updated']),
  // Best-effort events dropped after 3 failed attempts; the workflow still completes.
  deliveryChildScenario('operator-event-delivery-best-effort-dropped', { topic: 'tenant.subscription.updated', failures: 3 },
    ['tenant.subscription.updated', 'attempt.failed']),
];

const scenarios = [...deliveryScenarios, ...healthScenarios, ...operatorEventScenarios];

/** Writes every run of the handle's workflow, following continue-as-new from the first run. */
async function writeRuns(client: Client, name: string, first: FirstRun): Promise<string[]> {
  const written: string[] = [];
  let runId: string | undefined = first.runId;
  for (let run = 1; runId; run++) {
    const history = await client.workflow.getHandle(first.workflowId, runId).fetchHistory();
    const file = run === 1 ? `${name}.json` : `${name}-run-${run}.json`;
    writeFileSync(new URL(file, HISTORIES), historyToJSON(history));
    written.push(file);
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return written;
}

async function record(connection: NativeConnection, client: Client, scenario: Scenario): Promise<void> {
  const taskQueue = `record-${randomUUID()}`;
  const worker = await Worker.create({
    connection, namespace: TEST_NAMESPACE, taskQueue, workflowBundle: await workflowBundle(), activities: scenario.activities,
  });
  const first = await worker.runUntil(scenario.drive(client, { taskQueue, workflowId: scenario.name }));
  console.log(`${scenario.name}: ${(await writeRuns(client, scenario.name, first)).join(', ')}`);
}

async function main(prefixes: string[]): Promise<void> {
  const selected = scenarios.filter((s) => prefixes.length === 0 || prefixes.some((p) => s.name.startsWith(p)));
  if (selected.length === 0) throw new Error(`no scenario matches ${prefixes.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);
  const server = await startTestTemporal();
  const { connection, client } = await connectTestTemporal(server.address);
  try {
    for (const scenario of selected) await record(connection, client, scenario);
  } finally {
    await connection.close().finally(() => server.stop());
  }
}

await main(process.argv.slice(2));
