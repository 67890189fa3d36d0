import { noTelemetry } from '../src/telemetry/telemetry.js';
import { MockActivityEnvironment } from '@temporalio/testing';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { AlertRepository } from '../src/db/alert-repository.js';
import type { AttemptRepository } from '../src/db/attempt-repository.js';
import type { DestinationCache } from '../src/db/destination-cache.js';
import type { DestinationRegistry } from '../src/destinations/registry.js';
import { makeDestination } from '../src/destinations/testing/fixtures.js';
import type { PublishResult } from '../src/destinations/types.js';
import type { Attempt, Destination, EventRecord } from '../src/domain/types.js';
import type { OperatorTopic } from '../src/operator-events/types.js';
import type { DestinationHealthClient } from '../src/temporal/destination-health-client.js';
import type { OperatorEventsClient } from '../src/temporal/operator-events-client.js';
import { createDeliverAttempt, type AttemptOutcome, type DeliverAttemptDeps, type DeliverAttemptInput } from './deliver-attempt.js';

// The attempt activity with every collaborator faked in memory: what it sends, records, reports
// to the destination's health and emits as operator events. Races between processes and the
// database's claim semantics are covered against real Postgres in deliver-attempt.int.test.ts.

const TENANT = 'tenant_1';
const EVENT_ID = 'evt_1';

function anEvent(): EventRecord {
  const time = new Date('2024-05-01T10:00:00.000Z');
  return {
    id: EVENT_ID, tenantId: TENANT, topic: 'order.created', time, eligibleForRetry: true, metadata: {},
    data: { order_id: 'ord_1' }, destinationId: null, matchedDestinationIds: [], createdAt: time, dispatchedAt: time,
  };
}

function unexpected(name: string): never {
  throw new Error(`the attempt activity was not expected to call ${name}`);
}

/** An attempt log in memory: every claim is the first send, as when nothing was sent before. */
function fakeAttempts(event: EventRecord | null) {
  const released: string[] = [];
  const recorded: Attempt[] = [];
  const repository: AttemptRepository = {
    claimSendReadingEvent: async () => ({ claimed: true, event }),
    releaseClaim: async (id) => void released.push(id),
    completeSend: async (attempt) => void recorded.push(attempt),
    insert: () => unexpected('insert'),
    claimSend: () => unexpected('claimSend'),
    sendsOf: () => unexpected('sendsOf'),
    markInterrupted: () => unexpected('markInterrupted'),
    get: () => unexpected('get'),
    latestFor: () => unexpected('latestFor'),
    list: () => unexpected('list'),
  };
  return { repository, released, recorded };
}

function fakeDestinationCache(destination: Destination | null): DestinationCache {
  return {
    find: async () => destination,
    enabledOf: () => unexpected('enabledOf'),
    invalidate: () => undefined,
    setTrusted: () => undefined,
    size: 0,
  };
}

function fakeRegistry(result: PublishResult) {
  const sent: string[] = [];
  const registry: DestinationRegistry = {
    publish: async (req) => {
      sent.push(req.attemptId ?? '');
      return result;
    },
    get: () => undefined,
    types: () => ['webhook'],
    metadata: () => [],
    release: async () => undefined,
    close: async () => undefined,
  };
  return { registry, sent };
}

function fakeHealth() {
  const reports: { destinationId: string; success: boolean }[] = [];
  const health: DestinationHealthClient = {
    enabled: true,
    report: async (_tenantId, destinationId, outcome) => void reports.push({ destinationId, success: outcome.success }),
    reset: async () => undefined,
    close: async () => undefined,
  };
  return { health, reports };
}

function fakeOperatorEvents(topics: readonly OperatorTopic[]) {
  const emitted: { topic: OperatorTopic; tenantId: string; data: Record<string, unknown> }[] = [];
  const emitter: OperatorEventsClient = {
    isSubscribed: (topic) => topics.includes(topic),
    emit: async (topic, tenantId, data) => {
      if (topics.includes(topic)) emitted.push({ topic, tenantId, data });
    },
    close: async () => undefined,
  };
  return { emitter, emitted };
}

/** The suppression table's contract: the first claimant of a key holds it for the whole window. */
function fakeAlerts(): AlertRepository {
  const holders = new Map<string, string>();
  return {
    claim: async (key, _windowSeconds, claimant) => {
      const holder = holders.get(key);
      if (holder !== undefined && holder !== claimant) return false;
      holders.set(key, claimant);
      return true;
    },
  };
}

interface Setup {
  readonly destination?: Destination | null;
  readonly event?: EventRecord | null;
  readonly result?: PublishResult;
  readonly topics?: readonly OperatorTopic[];
  readonly exhaustedRetriesWindowSeconds?: number | null;
}

function setUp(setup: Setup = {}) {
  const destination = setup.destination === undefined ? makeDestination({ tenantId: TENANT }) : setup.destination;
  const attempts = fakeAttempts(setup.event === undefined ? anEvent() : setup.event);
  const registry = fakeRegistry(setup.result ?? { ok: true, code: '200', responseData: null });
  const health = fakeHealth();
  const emitter = fakeOperatorEvents(setup.topics ?? []);
  const deps: DeliverAttemptDeps = {
    config: { delivery: { timeoutMs: 1_000 } },
    destinationCache: fakeDestinationCache(destination),
    attempts: attempts.repository,
    registry: registry.registry,
    logger: pino({ level: 'silent' }),
    destinationHealth: health.health,
    operatorEvents: emitter.emitter,
    alerts: fakeAlerts(),
    exhaustedRetriesWindowSeconds: setup.exhaustedRetriesWindowSeconds === undefined ? 3_600 : setup.exhaustedRetriesWindowSeconds,
    telemetry: noTelemetry,
  };
  const deliverAttempt = createDeliverAttempt(deps);
  const input = (overrides: Partial<DeliverAttemptInput> = {}): DeliverAttemptInput => ({
    workflowId: `delivery-${destination?.id ?? 'gone'}`, tenantId: TENANT, eventId: EVENT_ID,
    destinationId: destination?.id ?? 'des_gone', destinationType: 'webhook', attemptNumber: 1, manual: false,
    finalIfFailed: false, ...overrides,
  });
  const run = (overrides: Partial<DeliverAttemptInput> = {}): Promise<AttemptOutcome> =>
    new MockActivityEnvironment().run<[DeliverAttemptInput], AttemptOutcome, typeof deliverAttempt>(deliverAttempt, input(overrides));
  return { run, attempts, sent: registry.sent, reports: health.reports, emitted: emitter.emitted };
}

const failure: PublishResult = { ok: false, code: '500', responseData: { status: 500 } };

describe('when the attempt cannot go out', () => {
  it.each([
    { why: 'the destination is disabled', setup: { destination: makeDestination({ tenantId: TENANT, disabledAt: new Date() }) }, code: 'destination_disabled' },
    { why: 'the destination is deleted', setup: { destination: null }, code: 'destination_deleted' },
    { why: 'the event is not stored', setup: { event: null }, code: 'event_missing' },
  ])('because $why, then it is skipped with code $code, its claim released and nothing sent or reported', async ({ setup, code }) => {
    const s = setUp({ ...setup, topics: ['attempt.success', 'attempt.failed'] });

    const outcome = await s.run();

    expect(outcome).toMatchObject({ status: 'skipped', code, attemptId: null });
    expect(s.attempts.released).toHaveLength(1);
    expect(s.attempts.recorded).toEqual([]);
    expect(s.sent).toEqual([]);
    expect(s.reports).toEqual([]);
    expect(s.emitted).toEqual([]);
  });
});

describe('when an attempt that exhausts the retries fails', () => {
  const exhausting = { finalIfFailed: true, alertIfExhausted: true } as const;

  it('then alert.attempt.exhausted_retries is emitted once, and a later failure of the same delivery within the window is suppressed', async () => {
    const s = setUp({ result: failure, topics: ['alert.attempt.exhausted_retries'] });

    const first = await s.run({ ...exhausting, attemptNumber: 1 });
    const second = await s.run({ ...exhausting, attemptNumber: 2, manual: true });

    expect([first.status, second.status]).toEqual(['failed', 'failed']);
    expect(s.attempts.recorded.map((a) => [a.attemptNumber, a.exhaustedRetries])).toEqual([[1, true], [2, true]]);
    expect(s.emitted.map((e) => [e.topic, e.tenantId])).toEqual([['alert.attempt.exhausted_retries', TENANT]]);
    expect(s.emitted[0]!.data).toMatchObject({ tenant_id: TENANT, attempt: { id: first.attemptId } });
  });

  it.each([
    { why: 'the topic is not subscribed', setup: { topics: [] as OperatorTopic[] }, input: exhausting },
    { why: 'the alert is off', setup: { exhaustedRetriesWindowSeconds: null }, input: exhausting },
    { why: 'the delivery is not eligible for that alert', setup: {}, input: { finalIfFailed: true } },
  ])('but $why, then no alert is emitted', async ({ setup, input }) => {
    const s = setUp({ result: failure, topics: ['alert.attempt.exhausted_retries'], ...setup });

    await s.run(input);

    expect(s.attempts.recorded).toHaveLength(1);
    expect(s.emitted).toEqual([]);
  });
});

describe('when an attempt is recorded', () => {
  // Only a failure, or a success that ends a run of failures, can change the destination's health.
  it.each([
    { destination: 'healthy', failing: false, result: { ok: true, code: '200', responseData: null }, reported: [] },
    { destination: 'failing', failing: true, result: { ok: true, code: '200', responseData: null }, reported: [true] },
    { destination: 'healthy', failing: false, result: failure, reported: [false] },
    { destination: 'failing', failing: true, result: failure, reported: [false] },
  ] as const)('to a $destination destination with code $result.code, then destination health hears $reported', async ({ failing, result, reported }) => {
    const s = setUp({ destination: makeDestination({ tenantId: TENANT, failing }), result });

    await s.run();

    expect(s.sent).toHaveLength(1);
    expect(s.attempts.recorded).toHaveLength(1);
    expect(s.reports.map((r) => r.success)).toEqual(reported);
  });
});
