/** GCP Pub/Sub sink: publishes data = JSON envelope with `attributes: { topic }`, one message per batch. */
import { PubSub, type ClientConfig } from '@google-cloud/pubsub';
import { createDeadline, untilAborted } from '../../transports/deadline.js';
import type { OperatorEvent, OperatorEventSink, SinkConfig, SinkError } from '../types.js';
import {
  closeOnce, DEFAULT_SEND_TIMEOUT_MS, encodeEnvelope, networkErrorCode, reportFailure, sinkError,
  type SinkDeps,
} from './sink-support.js';

type PubSubSinkConfig = Extract<SinkConfig, { kind: 'gcp_pubsub' }>;

/** gRPC status codes (grpc/status.proto). */
const GRPC = {
  INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9, UNAVAILABLE: 14, UNAUTHENTICATED: 16,
} as const;

/** gRPC failures → stable codes; a missing topic, bad credentials or a bad request are not retryable. */
export function classifyPubSubError(error: unknown): SinkError {
  const { code, details } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; details?: unknown };
  switch (code) {
    case GRPC.NOT_FOUND:
      return sinkError('gcp_pubsub', 'topic_not_found', false, 'the topic does not exist');
    case GRPC.PERMISSION_DENIED:
    case GRPC.UNAUTHENTICATED:
      return sinkError('gcp_pubsub', 'auth_failed', false);
    case GRPC.INVALID_ARGUMENT:
    case GRPC.FAILED_PRECONDITION:
      return sinkError('gcp_pubsub', 'invalid_request', false, 'Pub/Sub rejected the message');
    case GRPC.RESOURCE_EXHAUSTED:
      return sinkError('gcp_pubsub', 'throttled', true, 'Pub/Sub throttled the request');
    case GRPC.DEADLINE_EXCEEDED:
      return sinkError('gcp_pubsub', 'timeout', true);
    case GRPC.UNAVAILABLE: {
      // grpc-js reports the socket error only in `details` ("connect ECONNREFUSED 127.0.0.1:…").
      const text = typeof details === 'string' ? details : '';
      if (text.includes('ECONNREFUSED')) return sinkError('gcp_pubsub', 'connection_refused', true);
      if (/ENOTFOUND|EAI_AGAIN|Name resolution failed|DNS resolution failed/.test(text)) return sinkError('gcp_pubsub', 'dns_error', true);
      return sinkError('gcp_pubsub', 'unavailable', true, 'Pub/Sub is unavailable');
    }
    default: {
      const network = networkErrorCode(error);
      return network ? sinkError('gcp_pubsub', network, true) : sinkError('gcp_pubsub', 'pubsub_error', true, 'publishing to Pub/Sub failed');
    }
  }
}

function clientConfig(config: PubSubSinkConfig): ClientConfig {
  const options: ClientConfig = { projectId: config.projectId };
  const emulatorHost = config.emulatorHost ?? process.env.PUBSUB_EMULATOR_HOST;
  if (emulatorHost) {
    // A fixed universe domain keeps google-auth from probing the GCE metadata server (and warning) for an emulator.
    Object.assign(options, { apiEndpoint: emulatorHost, emulatorMode: true, universeDomain: 'googleapis.com' });
  }
  if (config.credentials) {
    try {
      options.credentials = JSON.parse(config.credentials) as ClientConfig['credentials'];
    } catch {
      throw sinkError('gcp_pubsub', 'invalid_config', false, 'the credentials are not service-account JSON');
    }
  }
  return options;
}

export function createPubSubSink(config: PubSubSinkConfig, deps: SinkDeps): OperatorEventSink {
  const pubsub = new PubSub(clientConfig(config));
  const topic = pubsub.topic(config.topicId, {
    // No batching delay: `send` resolves when the server accepted this very message.
    batching: { maxMessages: 1, maxMilliseconds: 0 },
    // The operator-events workflow owns retries; the library would otherwise retry UNAVAILABLE for minutes.
    gaxOpts: { timeout: DEFAULT_SEND_TIMEOUT_MS, maxRetries: 0 },
  });
  const lifecycle = closeOnce(async () => {
    await topic.flush().catch(() => undefined);
    await pubsub.close();
  });

  async function send(event: OperatorEvent, signal?: AbortSignal): Promise<void> {
    if (lifecycle.closed) throw sinkError('gcp_pubsub', 'sink_closed', true);
    const deadline = createDeadline(DEFAULT_SEND_TIMEOUT_MS, signal);
    try {
      await untilAborted(topic.publishMessage({ data: encodeEnvelope(event), attributes: { topic: event.topic } }), deadline.signal);
    } catch (error) {
      const abortCode = deadline.reason();
      const failure = abortCode ? sinkError('gcp_pubsub', abortCode, true) : classifyPubSubError(error);
      throw reportFailure(deps, failure, error, { sink: 'gcp_pubsub', eventId: event.id });
    } finally {
      deadline.dispose();
    }
  }

  return { kind: 'gcp_pubsub', send, close: lifecycle.close };
}
