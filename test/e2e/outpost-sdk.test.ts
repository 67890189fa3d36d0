import { Outpost } from '@hookdeck/outpost-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHookdeck, type FakeHookdeck } from '../../src/destinations/testing/fake-hookdeck.js';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { uid } from './fixtures.js';

// Herald driven through Outpost's published TypeScript SDK: a client nobody here wrote, whose
// response schemas reject any shape that drifts from the contract. Every destination type is
// created, read, listed, updated, disabled, enabled and deleted through it.

const API_KEY = 'admin-key-for-sdk-tests';
let herald: TestHerald;
let outpost: Outpost;
// Hookdeck verifies a token when a destination is created; a local server answers as its API does.
let hookdeck: FakeHookdeck;

beforeAll(async () => {
  hookdeck = await startFakeHookdeck();
  herald = await startTestHerald({
    API_KEY, API_JWT_SECRET: 'jwt-secret-for-sdk-tests',
    DESTINATIONS_HOOKDECK_API_URL: hookdeck.apiUrl, DESTINATIONS_HOOKDECK_EVENTS_URL: hookdeck.eventsUrl,
  }, { worker: false });
  outpost = new Outpost({ apiKey: API_KEY, serverURL: `${herald.api.url}/api/v1`, retryConfig: { strategy: 'none' } });
});
afterAll(async () => {
  await herald?.close();
  await hookdeck?.close();
});

/** A service-account key's shape; never used to connect. */
const SERVICE_BUS = 'Endpoint=sb://herald-sdk.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=c2RrLXRlc3Qta2V5';
const SERVICE_ACCOUNT = JSON.stringify({ type: 'service_account', project_id: 'sdk-project', private_key_id: 'k1', client_email: 'sdk@sdk-project.iam.gserviceaccount.com' });

/** Per type: a valid create body (as the SDK types it), a config change, and the credential that must come back masked. */
interface TypeCase {
  readonly type: string;
  readonly create: () => Record<string, unknown>;
  readonly update: () => Record<string, unknown>;
  /** A sensitive credential key (SDK spelling) and the value sent: the response must not show it. */
  readonly secret?: readonly [key: string, value: string];
}

const AWS_CREDENTIALS = { key: 'AKIASDKTESTKEY0001', secret: 'sdk-test-secret-access-key' };

const CASES: readonly TypeCase[] = [
  {
    type: 'webhook',
    create: () => ({ config: { url: 'https://example.com/hooks' } }),
    update: () => ({ config: { url: 'https://example.com/hooks/v2' } }),
  },
  {
    type: 'hookdeck',
    create: () => ({ credentials: { token: hookdeck.issueToken(uid('src'), 'SDK source') } }),
    update: () => ({ credentials: { token: hookdeck.issueToken(uid('src'), 'SDK source v2') } }),
  },
  {
    type: 'aws_sqs',
    create: () => ({ config: { queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/events' }, credentials: AWS_CREDENTIALS }),
    update: () => ({ config: { queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/events-v2' } }),
    secret: ['secret', AWS_CREDENTIALS.secret],
  },
  {
    type: 'aws_kinesis',
    create: () => ({
      config: { streamName: 'events', region: 'us-east-1', partitionKeyTemplate: 'metadata."event-id"' },
      credentials: AWS_CREDENTIALS,
    }),
    update: () => ({ config: { streamName: 'events-v2', region: 'eu-west-1' } }),
    secret: ['secret', AWS_CREDENTIALS.secret],
  },
  {
    type: 'aws_s3',
    create: () => ({ config: { bucket: 'herald-events', region: 'us-east-1', storageClass: 'STANDARD' }, credentials: AWS_CREDENTIALS }),
    update: () => ({ config: { bucket: 'herald-events-v2', region: 'us-east-1' } }),
    secret: ['secret', AWS_CREDENTIALS.secret],
  },
  {
    type: 'gcp_pubsub',
    create: () => ({ config: { projectId: 'sdk-project', topic: 'events' }, credentials: { serviceAccountJson: SERVICE_ACCOUNT } }),
    update: () => ({ config: { projectId: 'sdk-project', topic: 'events-v2' } }),
    secret: ['serviceAccountJson', SERVICE_ACCOUNT],
  },
  {
    type: 'azure_servicebus',
    create: () => ({ config: { name: 'events' }, credentials: { connectionString: SERVICE_BUS } }),
    update: () => ({ config: { name: 'events-v2' } }),
    secret: ['connectionString', SERVICE_BUS],
  },
  {
    type: 'rabbitmq',
    create: () => ({ config: { serverUrl: 'localhost:5672', exchange: 'events' }, credentials: { username: 'guest', password: 'sdk-guest-password' } }),
    update: () => ({ config: { serverUrl: 'localhost:5672', exchange: 'events-v2' } }),
    secret: ['password', 'sdk-guest-password'],
  },
  {
    type: 'kafka',
    create: () => ({
      config: { brokers: 'localhost:9092', topic: 'events', saslMechanism: 'scram-sha-256', tls: 'false' },
      credentials: { username: 'herald', password: 'sdk-kafka-password' },
    }),
    update: () => ({ config: { brokers: 'localhost:9092,localhost:9093', topic: 'events-v2', saslMechanism: 'plain', tls: 'false' } }),
    secret: ['password', 'sdk-kafka-password'],
  },
];

describe('Outpost SDK against Herald', () => {
  it('when a tenant is upserted, read and its portal-free operations are listed, then each response parses', async () => {
    const tenantId = uid('tnt');
    const created = await outpost.tenants.upsert(tenantId);
    expect(created.id).toBe(tenantId);
    expect((await outpost.tenants.get(tenantId)).id).toBe(tenantId);
    const topics = await outpost.topics.list();
    expect(Array.isArray(topics)).toBe(true);
    const types = await outpost.schemas.listDestinationTypes();
    expect(types.map((t) => t.type)).toEqual(expect.arrayContaining(CASES.map((c) => c.type)));
  });

  it.each(CASES)('when a $type destination is created, read, listed, updated, disabled, enabled and deleted through the SDK, then every call succeeds', async (c) => {
    const tenantId = uid('tnt');
    await outpost.tenants.upsert(tenantId);
    const body = { type: c.type, topics: '*', ...c.create() } as Parameters<Outpost['destinations']['create']>[1];

    const created = await outpost.destinations.create(tenantId, body);
    expect(created).toMatchObject({ type: c.type, topics: ['*'] });
    if (c.secret) {
      const [key, value] = c.secret;
      expect((created.credentials as Record<string, string>)[key]).not.toBe(value);
    }
    expect((await outpost.destinations.get(tenantId, created.id)).id).toBe(created.id);
    expect((await outpost.destinations.list(tenantId)).map((d) => d.id)).toEqual([created.id]);

    const change = c.update();
    const patch = { type: c.type, ...change } as Parameters<Outpost['destinations']['update']>[2];
    const updated = await outpost.destinations.update(tenantId, created.id, patch);
    expect(updated).toMatchObject({ id: created.id, ...('config' in change ? { config: expect.objectContaining(change.config as object) } : {}) });

    expect((await outpost.destinations.disable(tenantId, created.id)).disabledAt).toBeInstanceOf(Date);
    expect((await outpost.destinations.enable(tenantId, created.id)).disabledAt ?? null).toBeNull();
    expect(await outpost.destinations.delete(tenantId, created.id)).toMatchObject({ success: true });
    expect(await outpost.destinations.list(tenantId)).toEqual([]);
  });

  it('when every registered destination type is listed, then each has a case here', () => {
    expect([...herald.ctx.registry.types()].sort()).toEqual(CASES.map((c) => c.type).sort());
  });
});
