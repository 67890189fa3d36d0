/**
 * No Service Bus server can run here (the emulator is container-only), so the provider is tested
 * below the SDK's network layer: the publisher contract and the cases below run against an
 * in-memory sender that records the ServiceBusMessage built for each event.
 */
import { ServiceBusError } from '@azure/service-bus';
import { afterAll, describe, expect, it } from 'vitest';
import type { StringMap } from '../../domain/types.js';
import { createFakeServiceBus } from '../../transports/azure-servicebus/fake-sender.js';
import type { FakeServiceBus } from '../../transports/azure-servicebus/fake-sender.js';
import { createServiceBusTransport } from '../../transports/azure-servicebus/servicebus-transport.js';
import { DestinationValidationError } from '../errors.js';
import { makeDestination, makeEvent, makeOptions } from '../testing/fixtures.js';
import { describePublisherContract } from '../testing/publisher-contract.js';
import type { ContractConsumer } from '../testing/publisher-contract.js';
import type { DestinationProvider } from '../types.js';
import { createAzureServiceBusProvider } from './azure-servicebus-provider.js';

const silent = { debug: () => undefined, warn: () => undefined };
const CONNECTION_STRING = 'Endpoint=sb://herald-test.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0LWtleQ==';
const now = new Date('2024-05-01T10:00:00.000Z');

function providerOver(bus: FakeServiceBus): DestinationProvider {
  const transport = createServiceBusTransport({ operationTimeoutMs: 5_000, createSender: bus.createSender });
  return createAzureServiceBusProvider(makeOptions(), { clock: () => new Date(), logger: silent }, transport);
}

const destinationFor = (name: string, deliveryMetadata: StringMap = {}) =>
  makeDestination({ type: 'azure_servicebus', config: { name }, credentials: { connection_string: CONNECTION_STRING }, deliveryMetadata });

let contractBus: FakeServiceBus;
async function inMemoryConsumer(): Promise<ContractConsumer> {
  contractBus = createFakeServiceBus();
  return {
    destination: (init) => destinationFor('orders', init?.deliveryMetadata),
    stallingDestination: () => destinationFor('stall'),
    async waitForMessages(count, timeoutMs) {
      const sent = await contractBus.waitForMessages(count, timeoutMs);
      return sent.map(({ message }) => ({
        body: JSON.parse((message.body as Buffer).toString('utf8')) as unknown,
        metadata: message.applicationProperties as StringMap,
      }));
    },
    close: async () => undefined,
  };
}

describePublisherContract('azure_servicebus (in-memory sender; no server runs here)', () => providerOver(contractBus), inMemoryConsumer);

describe('azure_servicebus provider', () => {
  const publish = (provider: DestinationProvider, name: string, event = makeEvent()) =>
    provider.publish({ event, destination: destinationFor(name, { team: 'billing' }), signal: AbortSignal.timeout(5_000), attemptId: 'atm_1' });

  it('when an event is sent, then the message body is its data as JSON, typed application/json, with the metadata as application properties', async () => {
    const bus = createFakeServiceBus();
    const provider = providerOver(bus);
    const event = makeEvent({ metadata: { 'trace-id': 'tr_1' } });

    const result = await publish(provider, 'orders', event);
    await provider.close();

    expect(result).toEqual({ ok: true, code: 'OK', responseData: null });
    const [sent] = bus.sent;
    expect(sent).toMatchObject({ connectionString: CONNECTION_STRING, name: 'orders' });
    expect((sent!.message.body as Buffer).toString('utf8')).toBe(JSON.stringify(event.data));
    expect(sent!.message.contentType).toBe('application/json');
    expect(sent!.message.applicationProperties).toEqual({
      'event-id': event.id, topic: event.topic, timestamp: expect.any(String) as unknown, 'attempt-id': 'atm_1', team: 'billing', 'trace-id': 'tr_1',
    });
  });

  it.each([
    ['MessagingEntityNotFound', 'queue_not_found'],
    ['UnauthorizedAccess', 'auth_failed'],
    ['ServiceBusy', 'throttled'],
  ] as const)('when Service Bus answers %s, then the attempt fails as %s with a customer-safe error', async (sdkCode, code) => {
    const bus = createFakeServiceBus();
    bus.fail('orders', new ServiceBusError('amqp detail about sb://herald-test', sdkCode));
    const provider = providerOver(bus);

    const result = await publish(provider, 'orders');
    await provider.close();

    expect(result).toMatchObject({ ok: false, code, responseData: { error: expect.not.stringContaining('sb://') as unknown } });
  });

  it('when the broker cannot be reached, then the attempt fails as connection_refused', async () => {
    const bus = createFakeServiceBus();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5671'), { name: 'MessagingError', code: 'ConnectionForcedError', errno: -111 });
    bus.fail('orders', new ServiceBusError(refused as unknown as ConstructorParameters<typeof ServiceBusError>[0]));
    const provider = providerOver(bus);

    expect(await publish(provider, 'orders')).toMatchObject({ ok: false, code: 'connection_refused' });
    await provider.close();
  });

  const provider = createAzureServiceBusProvider(makeOptions(), { clock: () => now, logger: silent });
  afterAll(() => provider.close());
  const problemsOf = (config: StringMap, credentials: StringMap): unknown => {
    try {
      provider.prepare({ config, credentials, role: 'tenant', now });
      return [];
    } catch (error) {
      return error instanceof DestinationValidationError ? error.data : error;
    }
  };

  it.each([
    [{ name: 'orders' }, { connection_string: CONNECTION_STRING }, []],
    [{ name: 'orders' }, { connection_string: `${CONNECTION_STRING};EntityPath=orders` }, []],
    [{ name: 'orders' }, { connection_string: 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessSignature=SharedAccessSignature sr=x&sig=y&se=1&skn=send' }, []],
    [{}, {}, ['config.name is required', 'credentials.connection_string is required']],
    [{ name: '-orders' }, { connection_string: CONNECTION_STRING }, ['config.name is pattern']],
    [{ name: 'orders' }, { connection_string: 'not a connection string' }, ['credentials.connection_string is invalid']],
    [{ name: 'orders' }, { connection_string: 'Endpoint=https://ns.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=b' }, ['credentials.connection_string is invalid']],
    [{ name: 'orders' }, { connection_string: 'Endpoint=sb://ns.servicebus.windows.net/' }, ['credentials.connection_string is invalid']],
    [{ name: 'orders' }, { connection_string: `${CONNECTION_STRING};EntityPath=invoices` }, ['config.name is invalid']],
  ])('when config is %j and credentials %j, then prepare reports %j', (config, credentials, problems) => {
    expect(problemsOf(config, credentials)).toEqual(problems);
  });

  it('when a destination is shown, then the connection string is masked and the target is namespace/name', () => {
    const presented = provider.present(destinationFor('orders'), now);

    expect(presented.target).toBe('herald-test/orders');
    expect(presented.credentials['connection_string']).not.toContain('c2VjcmV0LWtleQ');
  });
});
