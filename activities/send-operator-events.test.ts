import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { SinkError, type OperatorEvent, type OperatorEventSink } from '../src/operator-events/types.js';
import { createSendOperatorEvents } from './send-operator-events.js';

const logger = pino({ level: 'silent' });

const events: OperatorEvent[] = ['oe_1', 'oe_2', 'oe_3', 'oe_4'].map((id) => ({
  id, topic: 'attempt.failed', time: '2024-05-01T10:00:00.000Z', tenant_id: 'tenant_1', data: {},
}));

/** A sink that records what it accepted and refuses the ids in `refusing`. */
function fakeSink(refusing: ReadonlySet<string> = new Set()) {
  const accepted: string[] = [];
  const sink: OperatorEventSink = {
    kind: 'http',
    send: async (event) => {
      if (refusing.has(event.id)) throw new SinkError('503 from the sink', 'http_5xx', true);
      accepted.push(event.id);
    },
    close: async () => undefined,
  };
  return { sink, accepted };
}

/** Runs the activity as one attempt would, with the heartbeat details a previous attempt left; returns the last heartbeat. */
async function runAttempt(sink: OperatorEventSink, heartbeatDetails?: unknown) {
  const env = new MockActivityEnvironment(heartbeatDetails === undefined ? {} : { heartbeatDetails });
  let heartbeat: unknown;
  env.on('heartbeat', (details: unknown) => (heartbeat = details));
  const run = env.run(createSendOperatorEvents({ sink, logger }), events);
  const error = await run.then(() => undefined, (e: unknown) => e);
  return { error, heartbeat };
}

it('when the activity is retried with the heartbeat details of an earlier attempt, then it sends only the events that attempt did not', async () => {
  const { sink, accepted } = fakeSink();

  const { error, heartbeat } = await runAttempt(sink, ['oe_1', 'oe_3']);

  expect(error).toBeUndefined();
  expect(accepted.sort()).toEqual(['oe_2', 'oe_4']);
  expect((heartbeat as string[]).sort()).toEqual(['oe_1', 'oe_2', 'oe_3', 'oe_4']);
});

it('when the sink refuses part of a batch, then the attempt fails with its code and the retry sends every event exactly once', async () => {
  const flaky = fakeSink(new Set(['oe_2']));
  const first = await runAttempt(flaky.sink);

  const healed = fakeSink();
  const retry = await runAttempt(healed.sink, first.heartbeat);

  expect(first.error).toBeInstanceOf(ApplicationFailure);
  expect(first.error).toMatchObject({ type: 'http_5xx' });
  expect(flaky.accepted.sort()).toEqual(['oe_1', 'oe_3', 'oe_4']);
  expect(retry.error).toBeUndefined();
  expect(healed.accepted).toEqual(['oe_2']);
});

it('when every event was sent by earlier attempts, then a retry sends nothing and succeeds', async () => {
  const { sink, accepted } = fakeSink();

  const { error } = await runAttempt(sink, events.map((e) => e.id));

  expect(error).toBeUndefined();
  expect(accepted).toEqual([]);
});
