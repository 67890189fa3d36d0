/**
 * The conformance suite every destination provider passes, so the behaviour common to all of them
 * is written and checked once. A provider's test calls
 * `describePublisherContract` with a real consumer (an HTTP receiver, a queue, a broker) and then
 * adds only its specifics.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Destination, StringMap } from '../../domain/types.js';
import { PublishAbortedError } from '../errors.js';
import type { DeliveryEvent, DestinationProvider } from '../types.js';
import { makeEvent } from './fixtures.js';

export interface ReceivedMessage {
  /** The payload parsed from the delivered bytes. */
  readonly body: unknown;
  /** Metadata keys as the receiver sees them (`event-id`, `topic`, `timestamp`, custom keys). */
  readonly metadata: StringMap;
}

export interface ContractConsumer {
  /** A destination of the provider's type that delivers to this consumer. */
  destination(init?: { deliveryMetadata?: StringMap }): Destination;
  /** A destination whose endpoint accepts the attempt but never completes it. */
  stallingDestination(): Destination;
  /** All messages received so far, once at least `count` arrived. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

const publishWith = (provider: DestinationProvider, destination: Destination, event: DeliveryEvent, signal?: AbortSignal) =>
  provider.publish({ event, destination, signal: signal ?? AbortSignal.timeout(5_000) });

const orderIdOf = (message: ReceivedMessage) => (message.body as { order_id?: unknown }).order_id;

export function describePublisherContract(
  name: string,
  makeProvider: () => DestinationProvider,
  makeConsumer: () => Promise<ContractConsumer>,
): void {
  describe(`${name} — publisher contract`, () => {
    let provider: DestinationProvider;
    let consumer: ContractConsumer;

    beforeEach(async () => {
      consumer = await makeConsumer();
      provider = makeProvider();
    });

    afterEach(async () => {
      await provider.close();
      await consumer.close();
    });

    it('when an event is published, then the consumer receives its data and the system metadata', async () => {
      const event = makeEvent({ metadata: { 'trace-id': 'tr_1' } });

      const result = await publishWith(provider, consumer.destination(), event);

      expect(result.ok).toBe(true);
      const [message] = await consumer.waitForMessages(1);
      expect(message?.body).toEqual(event.data);
      expect(message?.metadata).toMatchObject({ 'event-id': event.id, topic: event.topic, 'trace-id': 'tr_1' });
      expect(message?.metadata['timestamp']).toMatch(/\S/);
    });

    it('when delivery and event metadata share keys, then event beats destination beats system', async () => {
      const destination = consumer.destination({
        deliveryMetadata: { source: 'destination', shared: 'destination', topic: 'from-destination' },
      });
      const event = makeEvent({ metadata: { shared: 'event' } });

      await publishWith(provider, destination, event);

      const [message] = await consumer.waitForMessages(1);
      expect(message?.metadata).toMatchObject({ source: 'destination', shared: 'event', topic: 'from-destination' });
    });

    it('when 25 events are published concurrently, then every one arrives intact', async () => {
      const destination = consumer.destination();
      const events = Array.from({ length: 25 }, (_, i) => makeEvent({ data: { order_id: `ord_${i}`, i } }));

      const results = await Promise.all(events.map((event) => publishWith(provider, destination, event)));

      expect(results.every((result) => result.ok)).toBe(true);
      const messages = await consumer.waitForMessages(25);
      expect(messages.map(orderIdOf).sort()).toEqual(events.map((event) => event.data['order_id']).sort());
      for (const message of messages) {
        const sent = events.find((event) => event.data['order_id'] === orderIdOf(message));
        expect(message.body).toEqual(sent?.data);
      }
    });

    it('when closed while publishes are in flight, then each completes intact and later publishes are refused', async () => {
      const destination = consumer.destination();
      const events = Array.from({ length: 10 }, (_, i) => makeEvent({ data: { order_id: `ord_${i}` } }));

      const pending = events.map((event) => publishWith(provider, destination, event));
      const closed = provider.close();
      const results = await Promise.all(pending);
      await closed;

      expect(results.every((result) => result.ok)).toBe(true);
      const messages = await consumer.waitForMessages(10);
      expect(messages.map((message) => message.body)).toEqual(expect.arrayContaining(events.map((event) => event.data)));
      await expect(publishWith(provider, destination, makeEvent())).rejects.toThrow();
    });

    it('when the attempt times out, then the result is a failure classified as timeout', async () => {
      const result = await publishWith(provider, consumer.stallingDestination(), makeEvent(), AbortSignal.timeout(300));

      expect(result).toMatchObject({ ok: false, code: 'timeout' });
    });

    it('when the caller aborts the attempt, then publish rejects as aborted instead of reporting a failure', async () => {
      const controller = new AbortController();
      const pending = publishWith(provider, consumer.stallingDestination(), makeEvent(), controller.signal);
      setTimeout(() => controller.abort(new Error('worker shutting down')), 100);

      await expect(pending).rejects.toBeInstanceOf(PublishAbortedError);
    });
  });
}
