import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StringMap } from '../../domain/types.js';
import { freeLoopbackPort } from '../../runtime/ports.js';
import { DestinationValidationError, DestinationVerificationUnavailableError } from '../errors.js';
import { InvalidDestinationOptionsError } from '../options.js';
import { startFakeHookdeck } from '../testing/fake-hookdeck.js';
import type { FakeHookdeck } from '../testing/fake-hookdeck.js';
import { makeDestination, makeEvent, makeOptions } from '../testing/fixtures.js';
import { describePublisherContract } from '../testing/publisher-contract.js';
import type { ContractConsumer } from '../testing/publisher-contract.js';
import type { DestinationProvider, PreparedDestination } from '../types.js';
import { createHookdeckProvider } from './hookdeck-provider.js';
import { hookdeckSignature, parseHookdeckToken } from './hookdeck-token.js';

const silent = { debug: () => undefined, warn: () => undefined };
const now = new Date('2024-05-01T10:00:00.000Z');

function providerFor(hookdeck: Pick<FakeHookdeck, 'apiUrl' | 'eventsUrl'>): DestinationProvider {
  const options = makeOptions({ hookdeck: { apiUrl: hookdeck.apiUrl, eventsUrl: hookdeck.eventsUrl } });
  return createHookdeckProvider(options, { clock: () => new Date(), logger: silent });
}

/** `X-Outpost-<key>` headers back into metadata keys, as a Hookdeck connection would pass them on. */
function metadataFrom(headers: IncomingHttpHeaders): StringMap {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.startsWith('x-outpost-')).map(([name, value]) => [name.slice('x-outpost-'.length), String(value)]),
  );
}

let contractHookdeck: FakeHookdeck | undefined;
async function hookdeckConsumer(): Promise<ContractConsumer> {
  const hookdeck = await startFakeHookdeck();
  contractHookdeck = hookdeck;
  const token = hookdeck.issueToken('src_contract');
  const stallToken = hookdeck.issueToken('stall');
  return {
    destination: (init) => makeDestination({ type: 'hookdeck', credentials: { token }, deliveryMetadata: init?.deliveryMetadata ?? {} }),
    stallingDestination: () => makeDestination({ type: 'hookdeck', credentials: { token: stallToken } }),
    async waitForMessages(count, timeoutMs) {
      const deliveries = await hookdeck.waitForDeliveries(count, timeoutMs);
      return deliveries.map((delivery) => ({ body: JSON.parse(delivery.rawBody) as unknown, metadata: metadataFrom(delivery.headers) }));
    },
    close: () => hookdeck.close(),
  };
}

// The provider is built before the consumer's server address is known, so it reads it lazily.
describePublisherContract(
  'hookdeck (against a local server behaving as Hookdeck)',
  () => providerFor({
    get apiUrl() { return contractHookdeck!.apiUrl; },
    get eventsUrl() { return contractHookdeck!.eventsUrl; },
  }),
  hookdeckConsumer,
);

const tokenOf = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('hookdeck token', () => {
  it.each([
    ['src_1:secret', 'src_1'],
    ['src_1:with:colons', 'src_1'],
  ])('when the token decodes to %s, then the source id is %s and the signing key is the whole token', (decoded, sourceId) => {
    expect(parseHookdeckToken(tokenOf(decoded))).toEqual({ sourceId, signingKey: tokenOf(decoded) });
  });

  it.each([['not base64 !'], [tokenOf('no-colon')], [tokenOf(':no-id')], ['']])('when the token is %j, then it is not a Hookdeck token', (token) => {
    expect(parseHookdeckToken(token)).toBeUndefined();
  });

  it('when a body is signed, then the signature is v0= and base64 HMAC-SHA256 keyed with the whole token', () => {
    // Golden vector computed with Python's hmac module, independently of the provider.
    expect(hookdeckSignature('c3JjXzE6c2VjcmV0', '{"order_id":"ord_1"}')).toBe('v0=e1krmk8eK+ymLueYCd1/VgC2c5C3Rp+fwDcMhZSSB2k=');
  });
});

describe('hookdeck provider', () => {
  let hookdeck: FakeHookdeck;
  let provider: DestinationProvider;
  beforeEach(async () => {
    hookdeck = await startFakeHookdeck();
    provider = providerFor(hookdeck);
  });
  afterEach(async () => {
    await provider.close();
    await hookdeck.close();
  });

  const prepare = (credentials: StringMap, existing?: ReturnType<typeof makeDestination>) =>
    provider.prepare({ config: {}, credentials, role: 'tenant', now, ...(existing ? { existing } : {}) });
  const verify = (prepared: PreparedDestination, existing?: ReturnType<typeof makeDestination>) =>
    provider.verify!(prepared, existing, AbortSignal.timeout(5_000));
  const problemsOf = (act: () => unknown): unknown => {
    try {
      act();
      return 'no error';
    } catch (error) {
      return error instanceof DestinationValidationError ? error.data : error;
    }
  };

  it.each([
    [{}, ['credentials.token is required']],
    [{ token: '' }, ['credentials.token is required']],
    [{ token: 'not base64 !' }, ['credentials.token is invalid']],
    [{ token: tokenOf('no-colon') }, ['credentials.token is invalid']],
  ])('when the credentials are %j, then prepare refuses them with %j', (credentials, problems) => {
    expect(problemsOf(() => prepare(credentials))).toEqual(problems);
  });

  it('when a token Hookdeck issued is verified, then the source id and name are stored and the target names the source', async () => {
    const token = hookdeck.issueToken('src_abc', 'Orders');

    const stored = await verify(prepare({ token }));

    expect(stored).toEqual({ config: { source_id: 'src_abc', source_name: 'Orders' }, credentials: { token } });
    expect(hookdeck.verifications).toEqual([{ sourceId: 'src_abc', token }]);
    const presented = provider.present(makeDestination({ type: 'hookdeck', ...stored }), now);
    expect(presented).toEqual({
      credentials: { token: expect.not.stringContaining(token.slice(4)) as unknown },
      target: 'Orders',
      targetUrl: 'https://dashboard.hookdeck.com/sources/src_abc',
    });
  });

  it('when the caller sends config, then only what the token says is stored', async () => {
    const token = hookdeck.issueToken('src_abc', 'Orders');
    const prepared = provider.prepare({ config: { source_id: 'src_other', source_name: 'Fake' }, credentials: { token }, role: 'tenant', now });

    expect((await verify(prepared)).config).toEqual({ source_id: 'src_abc', source_name: 'Orders' });
  });

  it('when Hookdeck refuses the token, then verify fails with credentials.token is invalid', async () => {
    hookdeck.issueToken('src_abc');
    const forged = tokenOf('src_abc:guessed');

    const error = await verify(prepare({ token: forged })).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DestinationValidationError);
    expect(error).toMatchObject({ data: ['credentials.token is invalid'] });
  });

  it.each([[500], [503], [429]])('when Hookdeck answers %i, then verify fails as unavailable', async (status) => {
    const token = hookdeck.issueToken('src_abc');
    hookdeck.failWith(status);

    await expect(verify(prepare({ token }))).rejects.toBeInstanceOf(DestinationVerificationUnavailableError);
  });

  it('when Hookdeck is unreachable, then verify fails as unavailable', async () => {
    const port = await freeLoopbackPort();
    const offline = providerFor({ apiUrl: `http://127.0.0.1:${port}/2025-01-01`, eventsUrl: `http://127.0.0.1:${port}` });
    const token = tokenOf('src_abc:secret');

    const error = await offline.verify!(offline.prepare({ config: {}, credentials: { token }, role: 'tenant', now }), undefined, AbortSignal.timeout(5_000))
      .catch((e: unknown) => e);
    await offline.close();

    expect(error).toBeInstanceOf(DestinationVerificationUnavailableError);
  });

  it('when an update keeps the token, then Hookdeck is not asked again; when it changes it, then it is', async () => {
    const token = hookdeck.issueToken('src_abc', 'Orders');
    const existing = makeDestination({ type: 'hookdeck', ...(await verify(prepare({ token }))) });

    const kept = await verify(prepare({ token }, existing), existing);
    expect(kept.config).toEqual({ source_id: 'src_abc', source_name: 'Orders' });
    expect(hookdeck.verifications).toHaveLength(1);

    const next = hookdeck.issueToken('src_def', 'Invoices');
    const changed = await verify(prepare({ token: next }, existing), existing);
    expect(changed.config).toEqual({ source_id: 'src_def', source_name: 'Invoices' });
    expect(hookdeck.verifications).toHaveLength(2);
  });

  it('when an event is delivered, then it is POSTed to the source with a signature Hookdeck accepts and the User-Agent', async () => {
    const token = hookdeck.issueToken('src_abc');
    const event = makeEvent();

    const result = await provider.publish({ event, destination: makeDestination({ type: 'hookdeck', credentials: { token } }), signal: AbortSignal.timeout(5_000) });

    expect(result).toMatchObject({ ok: true, code: '200', responseData: { status: 200 } });
    const [delivery] = await hookdeck.waitForDeliveries(1);
    expect(delivery).toMatchObject({ sourceId: 'src_abc', rawBody: JSON.stringify(event.data) });
    expect(delivery?.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'Herald-Test/1.0' });
  });

  it.each([
    [500, '500'], [404, '404'],
  ])('when Hookdeck answers %i, then the attempt fails with code %s', async (status, code) => {
    const token = hookdeck.issueToken('src_abc');
    hookdeck.failWith(status);

    const result = await provider.publish({ event: makeEvent(), destination: makeDestination({ type: 'hookdeck', credentials: { token } }), signal: AbortSignal.timeout(5_000) });

    expect(result).toMatchObject({ ok: false, code, responseData: { status } });
  });

  it('when Hookdeck is unreachable, then the attempt fails as connection_refused', async () => {
    const port = await freeLoopbackPort();
    const offline = providerFor({ apiUrl: `http://127.0.0.1:${port}`, eventsUrl: `http://127.0.0.1:${port}` });

    const result = await offline.publish({
      event: makeEvent(), destination: makeDestination({ type: 'hookdeck', credentials: { token: tokenOf('src_abc:secret') } }), signal: AbortSignal.timeout(5_000),
    });
    await offline.close();

    expect(result).toMatchObject({ ok: false, code: 'connection_refused', responseData: { error: expect.any(String) as unknown } });
  });

  it('when a metadata key cannot be a header name, then the attempt fails permanently as ERR', async () => {
    const token = hookdeck.issueToken('src_abc');

    const result = await provider.publish({
      event: makeEvent({ metadata: { 'bad key': 'x' } }), destination: makeDestination({ type: 'hookdeck', credentials: { token } }), signal: AbortSignal.timeout(5_000),
    });

    expect(result).toMatchObject({ ok: false, code: 'ERR' });
    expect(hookdeck.deliveries).toHaveLength(0);
  });

  it.each([[{ apiUrl: 'not a url' }], [{ eventsUrl: 'ftp://hkdk.events' }]])('when the options are %j, then building the provider fails', (hookdeckOptions) => {
    expect(() => createHookdeckProvider(makeOptions({ hookdeck: hookdeckOptions }), { clock: () => now, logger: silent }))
      .toThrow(InvalidDestinationOptionsError);
  });
});
