/**
 * The azure_servicebus destination through the public API. No Service Bus server can run here
 * (the emulator is container-only), so delivery is followed up to the SDK's network layer: the
 * connection string names a loopback port nothing listens on, and the attempt log shows the
 * classified failure. The message mapping is covered by the provider's tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../src/runtime/ports.js';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { attemptsOf, createTenant, eventually, publish } from './fixtures.js';

let herald: TestHerald;

beforeAll(async () => {
  herald = await startTestHerald();
});
afterAll(async () => {
  await herald?.close();
});

describe('azure_servicebus destination through the API', () => {
  it('when created, then the connection string is masked; when the namespace is unreachable, then attempts fail as connection_refused', async () => {
    const tenantId = await createTenant(herald);
    const key = 'c2VjcmV0LWtleS1kby1ub3Qtc2hvdw==';
    const connectionString = `Endpoint=sb://127.0.0.1:${await freeLoopbackPort()};SharedAccessKeyName=send;SharedAccessKey=${key};UseDevelopmentEmulator=true`;

    const created = await herald.call('POST', `/tenants/${tenantId}/destinations`, {
      type: 'azure_servicebus', topics: '*', config: { name: 'orders' }, credentials: { connection_string: connectionString },
    });

    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ type: 'azure_servicebus', config: { name: 'orders' }, target: '127.0.0.1/orders' });
    expect(JSON.stringify(created.body)).not.toContain(key);

    const { id } = await publish(herald, { tenant_id: tenantId, data: { order: 9 } });
    const attempts = await eventually(() => attemptsOf(herald, id), (list) => list.length > 0, 30_000);
    expect(attempts[0]).toMatchObject({ attempt_number: 1, status: 'failed', code: 'connection_refused' });
    expect(JSON.stringify(attempts[0]!.response_data)).not.toContain(key);
  });

  it('when the connection string is not one, then creating the destination is a 422 naming it', async () => {
    const tenantId = await createTenant(herald);

    const created = await herald.call('POST', `/tenants/${tenantId}/destinations`, {
      type: 'azure_servicebus', topics: '*', config: { name: 'orders' }, credentials: { connection_string: 'hello' },
    });

    expect(created.status).toBe(422);
    expect(created.body.data).toEqual(['credentials.connection_string is invalid']);
  });
});
