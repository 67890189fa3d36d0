import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PublishAbortedError, RegistryClosedError, UnknownDestinationTypeError } from './errors.js';
import { InvalidDestinationOptionsError } from './options.js';
import { PROVIDER_FACTORIES, createDestinationRegistry } from './registry.js';
import type { ProviderFactory } from './registry.js';
import { makeDestination, makeEvent, makeOptions } from './testing/fixtures.js';
import type { DestinationProvider, PublishRequest, PublishResult } from './types.js';

const DESTINATIONS_DIR = new URL('./', import.meta.url);
const NOT_PROVIDERS = new Set(['testing', 'testdata']);

/** The provider folders under src/destinations (one per destination type). */
const providerFolders = (): string[] =>
  readdirSync(DESTINATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !NOT_PROVIDERS.has(entry.name))
    .map((entry) => entry.name);

/** Every `create…Provider` exported by a `*-provider.ts` file in each provider folder. */
async function discoverProviderFactories(): Promise<Map<string, unknown[]>> {
  const found = new Map<string, unknown[]>();
  for (const folder of providerFolders()) {
    const files = readdirSync(new URL(`${folder}/`, DESTINATIONS_DIR)).filter(
      (file) => file.endsWith('-provider.ts') && !file.endsWith('.test.ts'),
    );
    const factories: unknown[] = [];
    for (const file of files) {
      const module = (await import(new URL(`${folder}/${file}`, DESTINATIONS_DIR).href)) as Record<string, unknown>;
      factories.push(...Object.entries(module).filter(([name]) => /^create\w+Provider$/.test(name)).map(([, value]) => value));
    }
    found.set(folder, factories);
  }
  return found;
}

type FakeBehaviour = (req: PublishRequest) => Promise<PublishResult>;

function fakeFactory(type: string, behaviour: FakeBehaviour, onClose: () => void = () => undefined): ProviderFactory {
  return () =>
    ({
      type,
      metadata: { type, label: type, description: '', icon: '<svg/>', instructions: '', config_fields: [], credential_fields: [] },
      prepare: (input) => ({ config: input.config, credentials: input.credentials }),
      present: () => ({ credentials: {}, target: type }),
      publish: behaviour,
      close: async () => onClose(),
    }) satisfies DestinationProvider;
}

const untilAborted: FakeBehaviour = (req) =>
  new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason as Error), { once: true }));
const never: FakeBehaviour = () => new Promise(() => undefined);
const delayed = (ms: number): FakeBehaviour => () =>
  new Promise((resolve) => setTimeout(() => resolve({ ok: true, code: 'OK', responseData: null }), ms));

function registryWith(behaviour: FakeBehaviour, deliveryTimeoutMs = 200, onClose?: () => void) {
  return createDestinationRegistry(makeOptions({ deliveryTimeoutMs }), { providers: [fakeFactory('fake', behaviour, onClose)] });
}

const request = (signal: AbortSignal = new AbortController().signal): PublishRequest => ({
  event: makeEvent(),
  destination: makeDestination({ type: 'fake' }),
  signal,
});

describe('registration', () => {
  it('when a folder under src/destinations holds a provider, then its factory is in the registration list', async () => {
    const discovered = await discoverProviderFactories();

    for (const [folder, factories] of discovered) {
      expect(factories, `${folder}/ exports no create…Provider`).not.toHaveLength(0);
      for (const factory of factories) expect(PROVIDER_FACTORIES, `${folder}/ is not registered`).toContain(factory);
    }
    expect([...discovered.values()].flat()).toHaveLength(PROVIDER_FACTORIES.length);
  });

  it('when a folder under src/destinations holds a provider, then one of its test files runs the publisher contract', () => {
    for (const folder of providerFolders()) {
      const tests = readdirSync(new URL(`${folder}/`, DESTINATIONS_DIR)).filter((file) => file.endsWith('.test.ts'));
      const runsContract = tests.some((file) =>
        /\bdescribePublisherContract\(/.test(readFileSync(new URL(`${folder}/${file}`, DESTINATIONS_DIR), 'utf8')));
      expect(runsContract, `no test in ${folder}/ calls describePublisherContract`).toBe(true);
    }
  });

  it('when the registry is built, then every registered type has complete metadata', async () => {
    const registry = createDestinationRegistry(makeOptions());

    const metadata = registry.metadata();
    await registry.close();

    expect(metadata.map((entry) => entry.type)).toEqual(registry.types());
    for (const entry of metadata) {
      expect(entry.type).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(entry).toMatchObject({ label: expect.any(String), description: expect.any(String), instructions: expect.any(String) });
      expect(entry.icon).toMatch(/^<svg[\s>]/);
      for (const field of [...entry.config_fields, ...entry.credential_fields]) {
        expect(field).toMatchObject({ key: expect.any(String), type: expect.any(String), required: expect.any(Boolean), sensitive: expect.any(Boolean) });
      }
    }
  });

  it('when the registry is built, then webhook comes first and get() finds it', async () => {
    const registry = createDestinationRegistry(makeOptions());

    expect(registry.types()[0]).toBe('webhook');
    expect(registry.get('webhook')?.type).toBe('webhook');
    expect(registry.get('carrier_pigeon')).toBeUndefined();
    await registry.close();
  });

  it('when two providers claim one type, then building fails', () => {
    const fake = fakeFactory('fake', never);

    expect(() => createDestinationRegistry(makeOptions(), { providers: [fake, fake] })).toThrow(/registered twice/);
  });

  it.each([
    { deliveryTimeoutMs: 0 },
    { userAgent: '' },
    { webhook: { allowedNetworks: ['10.0.0.0/99'] } },
    { webhook: { headerPrefix: 'bad prefix' } },
    { webhook: { maxResponseBodyBytes: -1 } },
    { hookdeck: { apiUrl: 'api.hookdeck.com' } },
    { hookdeck: { eventsUrl: '' } },
  ])('when options are $0, then start-up fails with a readable error', (overrides) => {
    expect(() => createDestinationRegistry(makeOptions(overrides))).toThrow(InvalidDestinationOptionsError);
  });
});

describe('publish', () => {
  it('when the provider honours the deadline, then the attempt resolves as a timeout failure', async () => {
    const registry = registryWith(untilAborted, 100);

    const result = await registry.publish(request());

    expect(result).toMatchObject({ ok: false, code: 'timeout', responseData: { timeout_ms: 100 } });
  });

  it('when the provider ignores its signal, then the deadline still ends the attempt', async () => {
    const registry = registryWith(never, 100);

    await expect(registry.publish(request())).resolves.toMatchObject({ ok: false, code: 'timeout' });
  });

  it('when the caller aborts (shutdown), then publish rejects as aborted: requeue, not a failed attempt', async () => {
    const registry = registryWith(never, 5_000);
    const controller = new AbortController();

    const pending = registry.publish(request(controller.signal));
    controller.abort(new Error('worker stopping'));

    await expect(pending).rejects.toBeInstanceOf(PublishAbortedError);
  });

  it('when the type is unknown, then publish rejects without an attempt', async () => {
    const registry = registryWith(never);

    await expect(registry.publish({ ...request(), destination: makeDestination({ type: 'nope' }) })).rejects.toBeInstanceOf(
      UnknownDestinationTypeError,
    );
  });

  it('when the provider has a bug, then the error propagates instead of becoming an attempt', async () => {
    const registry = registryWith(() => Promise.reject(new TypeError('boom')));

    await expect(registry.publish(request())).rejects.toThrow('boom');
  });
});

describe('close', () => {
  it('when closing with publishes in flight, then they finish first, providers close once, and new publishes are refused', async () => {
    const events: string[] = [];
    const registry = registryWith(delayed(100), 1_000, () => events.push('provider closed'));

    const inFlight = registry.publish(request()).then((result) => events.push(`published ${result.code}`));
    const closing = registry.close();
    const again = registry.close();

    await expect(registry.publish(request())).rejects.toBeInstanceOf(RegistryClosedError);
    await Promise.all([inFlight, closing, again]);
    expect(events).toEqual(['published OK', 'provider closed']);
  });
});
