import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { startReceiver, type Receiver } from '../harness/receiver.js';
import { eventually } from './fixtures.js';

let herald: TestHerald;
let sink: Receiver;

beforeAll(async () => {
  sink = await startReceiver(() => ({ status: 200 }));
  herald = await startTestHerald({ OPERATION_EVENTS_TOPICS: 'attempt.success,attempt.failed', OPERATION_EVENTS_HTTP_URL: `${sink.url}/ops` });
});
afterAll(async () => {
  await herald?.close();
  await sink?.close();
});

// Correctness under load (every event arrives, none twice without cause); the rate is printed for
// the record, never asserted: benchmarks are not tests.
it('when 2000 attempt events are emitted at once, then every one reaches the sink', async () => {
  const count = 2000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: count }, (_, i) => herald.ctx.operatorEvents.emit('attempt.success', 'load-tenant', { n: i })),
  );
  const signalled = Date.now();
  await eventually(async () => new Set(sink.received.map((r) => (JSON.parse(r.body) as { data: { n: number } }).data.n)).size, (n) => n === count, 60_000);
  const seconds = (Date.now() - started) / 1000;
  console.log(`operator events: ${count} emitted and delivered to the HTTP sink in ${seconds.toFixed(1)} s (${Math.round(count / seconds)}/s; signalling took ${signalled - started} ms)`);
  expect(new Set(sink.received.map((r) => (JSON.parse(r.body) as { id: string }).id)).size).toBe(sink.received.length);
});
