import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StringMap } from '../../domain/types.js';
import { freeLoopbackPort } from '../../runtime/ports.js';
import { createDestinationRegistry } from '../registry.js';
import { makeDestination, makeEvent, makeOptions } from '../testing/fixtures.js';
import { startHttpReceiver } from '../testing/http-receiver.js';
import type { HttpReceiver, ReceivedRequest } from '../testing/http-receiver.js';
import { describePublisherContract } from '../testing/publisher-contract.js';
import type { ContractConsumer } from '../testing/publisher-contract.js';
import type { DestinationOptions, WebhookMode } from '../options.js';
import type { DestinationProvider } from '../types.js';
import { createWebhookProvider } from './webhook-provider.js';

const silent = { debug: () => undefined, warn: () => undefined };
const DEFAULT_SECRET = 'whsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const PREVIOUS_SECRET = 'whsec_fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210';
const STANDARD_SECRET = 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';

function provider(options: DestinationOptions = makeOptions()): DestinationProvider {
  return createWebhookProvider(options, { clock: () => new Date(), logger: silent });
}

/** Headers carrying metadata → metadata keys (`event-id`, `topic`, …), as a receiver in each mode would read them. */
function metadataFrom(headers: IncomingHttpHeaders, mode: WebhookMode): StringMap {
  const prefix = mode === 'standard' ? 'webhook-' : 'x-outpost-';
  const renamed: Record<string, string> = mode === 'standard' ? { id: 'event-id' } : {};
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => name.startsWith(prefix) && name !== `${prefix}signature`)
      .map(([name, value]) => {
        const key = name.slice(prefix.length);
        return [renamed[key] ?? key, String(value)];
      }),
  );
}

async function webhookConsumer(mode: WebhookMode): Promise<ContractConsumer> {
  const receiver = await startHttpReceiver();
  receiver.reply('/stall', { stall: true });
  const secret = mode === 'standard' ? STANDARD_SECRET : DEFAULT_SECRET;
  return {
    destination: (init) =>
      makeDestination({ config: { url: receiver.url('/hook') }, credentials: { secret }, deliveryMetadata: init?.deliveryMetadata ?? {} }),
    stallingDestination: () => makeDestination({ config: { url: receiver.url('/stall') }, credentials: { secret } }),
    async waitForMessages(count, timeoutMs) {
      const requests = await receiver.waitForRequests(count, timeoutMs);
      return requests.map((req) => ({ body: JSON.parse(req.rawBody) as unknown, metadata: metadataFrom(req.headers, mode) }));
    },
    close: () => receiver.close(),
  };
}

describePublisherContract('webhook (default mode)', () => provider(), () => webhookConsumer('default'));
describePublisherContract(
  'webhook (standard mode)',
  () => provider(makeOptions({ webhook: { mode: 'standard' } })),
  () => webhookConsumer('standard'),
);

/** Receiver-side default-mode verification, written independently of signature.ts. */
function verifiesDefault(req: ReceivedRequest, secret: string): boolean {
  const header = String(req.headers['x-outpost-signature'] ?? '');
  const expected = createHmac('sha256', secret).update(req.rawBody).digest();
  return header
    .replace(/^v0=/, '')
    .split(',')
    .some((candidate) => {
      const given = Buffer.from(candidate, 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

/** Receiver-side Standard Webhooks verification. */
function verifiesStandard(req: ReceivedRequest, secret: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const content = `${String(req.headers['webhook-id'])}.${String(req.headers['webhook-timestamp'])}.${req.rawBody}`;
  const expected = createHmac('sha256', key).update(content).digest('base64');
  return String(req.headers['webhook-signature'] ?? '')
    .split(' ')
    .some((entry) => entry === `v1,${expected}`);
}

describe('webhook provider — specifics', () => {
  let receiver: HttpReceiver;
  let webhook: DestinationProvider;

  beforeEach(async () => {
    receiver = await startHttpReceiver();
    webhook = provider();
  });

  afterEach(async () => {
    await webhook.close();
    await receiver.close();
  });

  const publish = (credentials: StringMap, config: StringMap = {}, p: DestinationProvider = webhook) =>
    p.publish({
      event: makeEvent({ metadata: { region: 'eu' } }),
      destination: makeDestination({ config: { url: receiver.url('/hook'), ...config }, credentials }),
      signal: AbortSignal.timeout(5_000),
    });

  it('when publishing, then it POSTs the JSON body with content type, user agent and custom headers', async () => {
    const event = makeEvent();
    const destination = makeDestination({
      config: { url: receiver.url('/hook?token=abc'), custom_headers: '{"X-Api-Key":"k1","X-Outpost-Topic":"custom"}' },
      credentials: { secret: DEFAULT_SECRET },
    });

    const result = await webhook.publish({ event, destination, signal: AbortSignal.timeout(5_000) });

    expect(result).toEqual({ ok: true, code: '200', responseData: { status: 200, body: 'ok' } });
    const [req] = await receiver.waitForRequests(1);
    expect(req).toMatchObject({ method: 'POST', path: '/hook?token=abc', rawBody: JSON.stringify(event.data) });
    expect(req?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Herald-Test/1.0',
      'x-api-key': 'k1',
      'x-outpost-topic': event.topic,
      'x-outpost-event-id': event.id,
    });
    expect(req?.headers['x-outpost-timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('when signing in default mode, then the receiver verifies v0=<hex hmac-sha256 of the raw body>', async () => {
    await publish({ secret: DEFAULT_SECRET });

    const [req] = await receiver.waitForRequests(1);
    expect(req?.headers['x-outpost-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(verifiesDefault(req!, DEFAULT_SECRET)).toBe(true);
    expect(verifiesDefault(req!, PREVIOUS_SECRET)).toBe(false);
  });

  it('when a rotated secret is still valid, then two signatures are sent, current first, and both verify', async () => {
    const invalidAt = new Date(Date.now() + 60_000).toISOString();
    await publish({ secret: DEFAULT_SECRET, previous_secret: PREVIOUS_SECRET, previous_secret_invalid_at: invalidAt });

    const [req] = await receiver.waitForRequests(1);
    const [current, previous] = String(req?.headers['x-outpost-signature']).slice(3).split(',');
    expect(createHmac('sha256', DEFAULT_SECRET).update(req!.rawBody).digest('hex')).toBe(current);
    expect(createHmac('sha256', PREVIOUS_SECRET).update(req!.rawBody).digest('hex')).toBe(previous);
  });

  it('when the previous secret has expired, then only the current signature is sent', async () => {
    const invalidAt = new Date(Date.now() - 1_000).toISOString();
    await publish({ secret: DEFAULT_SECRET, previous_secret: PREVIOUS_SECRET, previous_secret_invalid_at: invalidAt });

    const [req] = await receiver.waitForRequests(1);
    expect(req?.headers['x-outpost-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
  });

  it('when configured for hmac-sha1 and base64, then the signature uses them', async () => {
    const sha1 = provider(makeOptions({ webhook: { signatureAlgorithm: 'hmac-sha1', signatureEncoding: 'base64' } }));
    await publish({ secret: DEFAULT_SECRET }, {}, sha1);
    await sha1.close();

    const [req] = await receiver.waitForRequests(1);
    const expected = createHmac('sha1', DEFAULT_SECRET).update(req!.rawBody).digest('base64');
    expect(req?.headers['x-outpost-signature']).toBe(`v0=${expected}`);
  });

  it('when in standard mode, then Standard Webhooks headers verify and event metadata is also sent unprefixed', async () => {
    const standard = provider(makeOptions({ webhook: { mode: 'standard' } }));
    const previous = 'whsec_ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=';
    const invalidAt = new Date(Date.now() + 60_000).toISOString();
    await publish({ secret: STANDARD_SECRET, previous_secret: previous, previous_secret_invalid_at: invalidAt }, {}, standard);
    await standard.close();

    const [req] = await receiver.waitForRequests(1);
    const timestamp = Number(req?.headers['webhook-timestamp']);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(5);
    expect(String(req?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifiesStandard(req!, STANDARD_SECRET)).toBe(true);
    expect(verifiesStandard(req!, previous)).toBe(true);
    expect(req?.headers).toMatchObject({ region: 'eu', 'webhook-region': 'eu', 'webhook-topic': 'order.created' });
    expect(req?.headers['x-outpost-signature']).toBeUndefined();
  });

  it('when blocking private networks without an allowlist, then loopback is refused before any request', async () => {
    const strict = provider(makeOptions({ webhook: { blockPrivateNetworks: true, allowedNetworks: [] } }));

    const literal = await publish({ secret: DEFAULT_SECRET }, {}, strict);
    const byName = await publish({ secret: DEFAULT_SECRET }, { url: `http://localhost:${receiver.port}/hook` }, strict);
    await strict.close();

    expect(literal).toMatchObject({ ok: false, code: 'private_address_blocked' });
    expect(byName).toMatchObject({ ok: false, code: 'private_address_blocked' });
    expect(literal.responseData?.['error']).toMatch(/private or reserved/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('when blocking is off, then a loopback endpoint is reachable without an allowlist', async () => {
    const open = provider(makeOptions({ webhook: { blockPrivateNetworks: false, allowedNetworks: [] } }));

    const result = await publish({ secret: DEFAULT_SECRET }, { url: `http://localhost:${receiver.port}/hook` }, open);
    await open.close();

    expect(result.ok).toBe(true);
  });

  it.each([
    { name: 'a declared length over the cap', reply: { body: 'x'.repeat(1_000) } },
    { name: 'a chunked body growing past the cap', reply: { chunks: Array.from({ length: 20 }, () => 'y'.repeat(50)) } },
  ])('when the response has $name, then a placeholder is stored instead', async ({ reply }) => {
    const capped = provider(makeOptions({ webhook: { maxResponseBodyBytes: 64 } }));
    receiver.reply('/hook', reply);

    const result = await publish({ secret: DEFAULT_SECRET }, {}, capped);
    await capped.close();

    expect(result).toMatchObject({ ok: true, code: '200' });
    expect(result.responseData?.['body']).toBe('[response body not stored: larger than 64 bytes]');
  });

  it('when the cap is 0, then a large body is stored whole', async () => {
    const unlimited = provider(makeOptions({ webhook: { maxResponseBodyBytes: 0 } }));
    receiver.reply('/hook', { body: 'z'.repeat(200_000) });

    const result = await publish({ secret: DEFAULT_SECRET }, {}, unlimited);
    await unlimited.close();

    expect(result.responseData?.['body']).toHaveLength(200_000);
  });

  it.each([
    { status: 429, retryAfter: '7', expected: 7_000 },
    { status: 503, retryAfter: new Date(Date.now() + 120_000).toUTCString(), expected: 'about 2 min' },
    { status: 500, retryAfter: '7', expected: undefined },
  ])('when the endpoint answers $status with Retry-After $retryAfter, then retryAfterMs is $expected', async ({ status, retryAfter, expected }) => {
    receiver.reply('/hook', { status, headers: { 'retry-after': retryAfter }, body: 'slow down' });

    const result = await publish({ secret: DEFAULT_SECRET });

    expect(result).toMatchObject({ ok: false, code: String(status), responseData: { status, body: 'slow down' } });
    const retryAfterMs = result.ok ? undefined : result.retryAfterMs;
    if (typeof expected === 'number' || expected === undefined) expect(retryAfterMs).toBe(expected);
    else expect(retryAfterMs).toBeGreaterThan(100_000);
  });

  it('when the endpoint redirects, then the redirect is not followed and the attempt fails with the 3xx code', async () => {
    receiver.reply('/hook', { status: 301, headers: { location: receiver.url('/elsewhere') }, body: '' });

    const result = await publish({ secret: DEFAULT_SECRET });

    expect(result).toMatchObject({ ok: false, code: '301', responseData: { status: 301, location: receiver.url('/elsewhere') } });
    expect(receiver.requests.map((req) => req.path)).toEqual(['/hook']);
  });

  it('when nothing listens on the port, then the failure is connection_refused with a safe message', async () => {
    const port = await freeLoopbackPort();

    const result = await publish({ secret: DEFAULT_SECRET }, { url: `http://127.0.0.1:${port}/hook` });

    expect(result).toEqual({ ok: false, code: 'connection_refused', responseData: { error: 'The endpoint refused the connection.' } });
  });

  it('when the host does not resolve, then the failure is dns_error', async () => {
    const result = await publish({ secret: DEFAULT_SECRET }, { url: 'http://herald-test.invalid/hook' });

    expect(result).toMatchObject({ ok: false, code: 'dns_error' });
  });

  it('when https meets a plain-http endpoint, then the failure is tls_error', async () => {
    const result = await publish({ secret: DEFAULT_SECRET }, { url: `https://127.0.0.1:${receiver.port}/hook` });

    expect(result).toMatchObject({ ok: false, code: 'tls_error' });
  });

  it('when the registry deadline passes, then the stalled attempt is classified timeout', async () => {
    receiver.reply('/stall', { stall: true });
    const registry = createDestinationRegistry(makeOptions({ deliveryTimeoutMs: 300 }));
    const destination = makeDestination({ config: { url: receiver.url('/stall') }, credentials: { secret: DEFAULT_SECRET } });

    const result = await registry.publish({ event: makeEvent(), destination, signal: new AbortController().signal });
    await registry.close();

    expect(result).toMatchObject({ ok: false, code: 'timeout' });
  });

  it('when a metadata key cannot be an HTTP header, then the attempt fails with ERR and nothing is sent', async () => {
    const destination = makeDestination({ config: { url: receiver.url('/hook') }, credentials: { secret: DEFAULT_SECRET } });

    const result = await webhook.publish({
      event: makeEvent({ metadata: { 'bad key': 'x' } }),
      destination,
      signal: AbortSignal.timeout(5_000),
    });

    expect(result).toMatchObject({ ok: false, code: 'ERR' });
    expect(String(result.responseData?.['error'])).toContain('could not format event for delivery');
    expect(receiver.requests).toHaveLength(0);
  });

  it('when the standard-mode secret is not whsec_<base64>, then the attempt fails with ERR', async () => {
    const standard = provider(makeOptions({ webhook: { mode: 'standard' } }));

    const result = await publish({ secret: 'not base64!' }, {}, standard);
    await standard.close();

    expect(result).toMatchObject({ ok: false, code: 'ERR' });
  });
});
