import { ServiceBusError } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../runtime/ports.js';
import { TransportError } from '../errors.js';
import { createFakeServiceBus } from './fake-sender.js';
import { createServiceBusTransport, sdkSenderFactory } from './servicebus-transport.js';

const CS_A = 'Endpoint=sb://ns-a.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=a2V5LWE=';
const CS_B = 'Endpoint=sb://ns-b.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=a2V5LWI=';
const message = { body: Buffer.from('{}'), contentType: 'application/json' };
const signal = () => AbortSignal.timeout(5_000);

describe('Service Bus transport', () => {
  it('when the same target is sent to repeatedly, then one sender serves it; another connection string or entity gets its own', async () => {
    const bus = createFakeServiceBus();
    const transport = createServiceBusTransport({ operationTimeoutMs: 1_000, createSender: bus.createSender });

    await transport.send({ connectionString: CS_A, name: 'orders' }, message, signal());
    await transport.send({ connectionString: CS_A, name: 'orders' }, message, signal());
    await transport.send({ connectionString: CS_B, name: 'orders' }, message, signal());
    await transport.send({ connectionString: CS_A, name: 'invoices' }, message, signal());

    expect(bus.opened).toEqual([`${CS_A}|orders`, `${CS_B}|orders`, `${CS_A}|invoices`]);
    expect(bus.sent).toHaveLength(4);
    await transport.close();
  });

  it('when a target is released, then its sender is closed and the next send opens a new one', async () => {
    const bus = createFakeServiceBus();
    const transport = createServiceBusTransport({ operationTimeoutMs: 1_000, createSender: bus.createSender });
    const target = { connectionString: CS_A, name: 'orders' };
    await transport.send(target, message, signal());

    await transport.release(target);
    await transport.send(target, message, signal());

    expect(bus.closed).toEqual([`${CS_A}|orders`]);
    expect(bus.opened).toHaveLength(2);
    await transport.close();
    expect(bus.closed).toHaveLength(2);
  });

  it('when the broker refuses a send, then it rejects with the classified TransportError', async () => {
    const bus = createFakeServiceBus();
    bus.fail('orders', new ServiceBusError('no such entity', 'MessagingEntityNotFound'));
    const transport = createServiceBusTransport({ operationTimeoutMs: 1_000, createSender: bus.createSender });

    const error = await transport.send({ connectionString: CS_A, name: 'orders' }, message, signal()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'queue_not_found', retryable: false });
    await transport.close();
  });

  it('when the SDK cannot use the connection string, then the send fails as invalid_config, not retryable', async () => {
    const transport = createServiceBusTransport({ operationTimeoutMs: 1_000, createSender: sdkSenderFactory(1_000) });

    const error = await transport.send({ connectionString: 'Endpoint=nonsense', name: 'orders' }, message, signal()).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'invalid_config', retryable: false });
    await transport.close();
  });

  // The real SDK's network layer, with nothing listening: no Service Bus server is needed to see
  // how a broker that cannot be reached is reported.
  it.each([
    ['nothing listens on the port', async () => `Endpoint=sb://127.0.0.1:${await freeLoopbackPort()};SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true`, 'connection_refused'],
    ['the namespace host does not resolve', async () => 'Endpoint=sb://herald-test.invalid/;SharedAccessKeyName=k;SharedAccessKey=v', 'dns_error'],
  ])('when %s, then the real SDK sender fails as %s', async (_when, connectionString, code) => {
    const transport = createServiceBusTransport({ operationTimeoutMs: 5_000 });

    const error = await transport.send({ connectionString: await connectionString(), name: 'orders' }, message, AbortSignal.timeout(10_000))
      .catch((e: unknown) => e);
    await transport.close();

    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code, retryable: true });
  });
});
