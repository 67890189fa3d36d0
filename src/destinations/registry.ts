/**
 * The destination registry: every provider, registered in ONE explicit list (so the set of types
 * can be reviewed and a test can check each is complete), and the behaviour shared by all of them,
 * kept here so providers stay small: the per-attempt timeout, the closed/in-flight guard, and
 * "shutdown means requeue, not failure".
 */
import type { Destination } from '../domain/types.js';
import type { DestinationOptions } from './options.js';
import { assertDestinationOptions } from './options.js';
import { createDeadline } from '../transports/deadline.js';
import { PublishAbortedError, RegistryClosedError, UnknownDestinationTypeError } from './errors.js';
import type {
  DestinationLogger,
  DestinationProvider,
  DestinationTypeMetadata,
  ProviderDeps,
  PublishRequest,
  PublishResult,
} from './types.js';
import { createKinesisProvider } from './aws-kinesis/kinesis-provider.js';
import { createS3Provider } from './aws-s3/s3-provider.js';
import { createSqsProvider } from './aws-sqs/sqs-provider.js';
import { createAzureServiceBusProvider } from './azure-servicebus/azure-servicebus-provider.js';
import { createGcpPubSubProvider } from './gcp-pubsub/gcp-pubsub-provider.js';
import { createHookdeckProvider } from './hookdeck/hookdeck-provider.js';
import { createKafkaProvider } from './kafka/kafka-provider.js';
import { createRabbitMqProvider } from './rabbitmq/rabbitmq-provider.js';
import { createWebhookProvider } from './webhook/webhook-provider.js';

export type ProviderFactory = (options: DestinationOptions, deps: ProviderDeps) => DestinationProvider;

/** Every destination type, in `/destination-types` order. Add new providers here and only here. */
export const PROVIDER_FACTORIES: readonly ProviderFactory[] = [
  createWebhookProvider,
  createHookdeckProvider,
  createSqsProvider,
  createKinesisProvider,
  createS3Provider,
  createGcpPubSubProvider,
  createAzureServiceBusProvider,
  createRabbitMqProvider,
  createKafkaProvider,
];

export interface DestinationRegistry {
  /** The provider for a type, or undefined when the type is unknown. */
  get(type: string): DestinationProvider | undefined;
  types(): string[];
  metadata(): DestinationTypeMetadata[];
  /**
   * One attempt with the per-attempt timeout applied. Resolves the provider's result (a timeout is
   * `{ ok: false, code: 'timeout' }`).
   * @throws RegistryClosedError after `close()` began; PublishAbortedError when `req.signal`
   *   aborted; UnknownDestinationTypeError. None of these is an attempt: requeue.
   */
  publish(req: PublishRequest): Promise<PublishResult>;
  /** Closes the client this process cached for the destination's configuration, if any. */
  release(destination: Destination): Promise<void>;
  /** Refuses new publishes, waits for in-flight ones (bounded by the timeout), closes providers. */
  close(): Promise<void>;
}

export interface RegistryDeps {
  readonly clock?: () => Date;
  readonly logger?: DestinationLogger;
  /** Replaces {@link PROVIDER_FACTORIES} (tests). */
  readonly providers?: readonly ProviderFactory[];
}

const silentLogger: DestinationLogger = { debug: () => undefined, warn: () => undefined };

function buildProviders(options: DestinationOptions, deps: RegistryDeps): Map<string, DestinationProvider> {
  const providerDeps: ProviderDeps = { clock: deps.clock ?? (() => new Date()), logger: deps.logger ?? silentLogger };
  const providers = new Map<string, DestinationProvider>();
  for (const factory of deps.providers ?? PROVIDER_FACTORIES) {
    const provider = factory(options, providerDeps);
    if (providers.has(provider.type)) throw new Error(`destination type "${provider.type}" registered twice`);
    providers.set(provider.type, provider);
  }
  return providers;
}

const TIMEOUT_MESSAGE = 'The destination did not respond before the delivery timeout.';

function timeoutResult(timeoutMs: number): PublishResult {
  return { ok: false, code: 'timeout', responseData: { error: TIMEOUT_MESSAGE, timeout_ms: timeoutMs } };
}

/**
 * Runs one attempt under the deadline and sorts the outcome into result / timeout / abort. The
 * deadline also settles the attempt itself, so a provider that ignores its signal cannot hold a
 * worker slot (or shutdown) past the timeout. A success that arrives first is always kept.
 */
async function attempt(provider: DestinationProvider, req: PublishRequest, timeoutMs: number): Promise<PublishResult> {
  const deadline = createDeadline(timeoutMs, req.signal);
  try {
    const outcome = await Promise.race([provider.publish({ ...req, signal: deadline.signal }), deadline.stopped]);
    if (typeof outcome === 'object' && (outcome.ok || deadline.reason() === undefined)) return outcome;
    if (deadline.reason() === 'aborted') throw new PublishAbortedError(req.signal.reason);
    return typeof outcome === 'object' && outcome.code === 'timeout' ? outcome : timeoutResult(timeoutMs);
  } catch (error) {
    if (error instanceof PublishAbortedError || deadline.reason() === undefined) throw error;
    if (deadline.reason() === 'aborted') throw new PublishAbortedError(req.signal.reason);
    return timeoutResult(timeoutMs);
  } finally {
    deadline.dispose();
  }
}

/** @throws InvalidDestinationOptionsError (or a provider's option error) at start-up. */
export function createDestinationRegistry(options: DestinationOptions, deps: RegistryDeps = {}): DestinationRegistry {
  assertDestinationOptions(options);
  const providers = buildProviders(options, deps);
  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  async function shutdown(): Promise<void> {
    await Promise.allSettled(inFlight);
    const results = await Promise.allSettled([...providers.values()].map((provider) => provider.close()));
    const failures: unknown[] = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    if (failures.length > 0) throw new AggregateError(failures, 'closing destination providers failed');
  }

  return {
    get: (type) => providers.get(type),
    types: () => [...providers.keys()],
    metadata: () => [...providers.values()].map((provider) => provider.metadata),
    publish(req) {
      if (closing !== undefined) return Promise.reject(new RegistryClosedError());
      const provider = providers.get(req.destination.type);
      if (provider === undefined) return Promise.reject(new UnknownDestinationTypeError(req.destination.type));
      const task = attempt(provider, req, options.deliveryTimeoutMs);
      const settled = task.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(settled);
      void settled.then(() => inFlight.delete(settled));
      return task;
    },
    release: async (destination) => {
      await providers.get(destination.type)?.release?.(destination).catch(() => undefined);
    },
    close: () => (closing ??= shutdown()),
  };
}
