/**
 * What every message-broker destination (SQS, RabbitMQ, Pub/Sub, Kinesis, S3, Kafka, Service Bus)
 * shares, composed once so each provider is only its mapping: validation from the declared fields
 * plus the provider's own checks, masked credentials, the outgoing metadata map, the closed guard,
 * and turning a send into an attempt result (`OK`, a classified code with `response_data.error`,
 * or a requeue when the caller cancelled).
 */
import type { Destination, StringMap } from '../domain/types.js';
import { isTimeoutReason } from '../transports/deadline.js';
import { TransportError, networkTransportError } from '../transports/errors.js';
import { TRANSPORT_ERROR_MESSAGES } from '../transports/network-errors.js';
import { maskCredentials } from './credentials-mask.js';
import { DestinationValidationError, ProviderClosedError, PublishAbortedError } from './errors.js';
import { checkDeclaredFields } from './field-validation.js';
import { buildDeliveryMetadata } from './metadata.js';
import type { DestinationOptions } from './options.js';
import type {
  DeliveryEvent, DestinationProvider, DestinationTypeMetadata, PrepareInput, ProviderDeps, PublishResult,
} from './types.js';

/** One event as a broker message: the payload bytes and the metadata map (headers/attributes). */
export interface OutgoingMessage {
  readonly event: DeliveryEvent;
  /** `JSON.stringify(event.data)` as UTF-8. */
  readonly body: Buffer;
  /** System keys < the destination's delivery metadata < the event's metadata. */
  readonly metadata: StringMap;
}

export interface MessageProviderSpec {
  readonly type: string;
  readonly metadata: DestinationTypeMetadata;
  /** Rules the field declarations cannot express, as `config.<key> is <rule>` messages. */
  check?(config: StringMap, credentials: StringMap): string[];
  /** What the API and the Temporal UI show as the destination's target (a queue URL, `exchange/topic`). */
  target(destination: Destination): string;
  targetUrl?(destination: Destination): string | undefined;
  /**
   * Sends one message and resolves once the broker took it.
   * @throws TransportError when it did not (or a network error the shared vocabulary classifies).
   */
  send(message: OutgoingMessage, destination: Destination, signal: AbortSignal): Promise<void>;
  /** Closes the client cached for this destination's configuration. */
  release?(destination: Destination): Promise<void>;
  /** Releases every client. */
  close(): Promise<void>;
}

const failed = (code: string, error: string): PublishResult => ({ ok: false, code, responseData: { error } });

export function createMessageProvider(spec: MessageProviderSpec, options: DestinationOptions, deps: ProviderDeps): DestinationProvider {
  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  function prepare({ config, credentials }: PrepareInput) {
    const problems = [
      ...checkDeclaredFields('config', spec.metadata.config_fields, config),
      ...checkDeclaredFields('credentials', spec.metadata.credential_fields, credentials),
      ...(spec.check?.(config, credentials) ?? []),
    ];
    if (problems.length > 0) throw new DestinationValidationError([...new Set(problems)]);
    return { config, credentials };
  }

  async function attempt(message: OutgoingMessage, destination: Destination, signal: AbortSignal): Promise<PublishResult> {
    try {
      await spec.send(message, destination, signal);
      return { ok: true, code: 'OK', responseData: null };
    } catch (error) {
      if (signal.aborted && !isTimeoutReason(signal.reason)) throw new PublishAbortedError(signal.reason);
      if (signal.aborted) return failed('timeout', TRANSPORT_ERROR_MESSAGES.timeout);
      const failure = error instanceof TransportError ? error : networkTransportError(error);
      if (!failure) throw error; // neither the broker nor the network: a bug, not an attempt
      const log = { destinationId: destination.id, eventId: message.event.id, code: failure.code, err: failure.cause ?? error };
      deps.logger.debug(log, `${spec.type} attempt failed`);
      return failed(failure.code, failure.message);
    }
  }

  return {
    type: spec.type,
    metadata: spec.metadata,
    prepare,
    present: (destination) => ({
      credentials: maskCredentials(destination.credentials, spec.metadata.credential_fields),
      target: spec.target(destination),
      ...(spec.targetUrl?.(destination) ? { targetUrl: spec.targetUrl(destination) } : {}),
    }),
    publish(req) {
      if (closing !== undefined) return Promise.reject(new ProviderClosedError(spec.type));
      const message: OutgoingMessage = {
        event: req.event,
        body: Buffer.from(JSON.stringify(req.event.data), 'utf8'),
        metadata: buildDeliveryMetadata({
          event: req.event, deliveryMetadata: req.destination.deliveryMetadata, attemptTime: deps.clock(),
          includeMillisecondTimestamp: options.includeMillisecondTimestamp, attemptId: req.attemptId,
        }),
      };
      const task = attempt(message, req.destination, req.signal);
      const settled = task.catch(() => undefined);
      inFlight.add(settled);
      void settled.then(() => inFlight.delete(settled));
      return task;
    },
    release: spec.release ? (destination) => spec.release!(destination) : undefined,
    close: () => (closing ??= Promise.allSettled(inFlight).then(() => spec.close())),
  };
}
