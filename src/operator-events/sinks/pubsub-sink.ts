/**
 * GCP Pub/Sub sink: an adapter over the Pub/Sub transport. Publishes data = the JSON envelope
 * with `attributes: { topic }`, one message per publish, resolved once the server stored it.
 */
import { createDeadline } from '../../transports/deadline.js';
import { TransportError } from '../../transports/errors.js';
import { classifyPubSubError } from '../../transports/gcp-pubsub/pubsub-errors.js';
import { createPubSubPublisher, type PubSubPublisher } from '../../transports/gcp-pubsub/pubsub-publisher.js';
import { SinkError, type OperatorEvent, type OperatorEventSink, type SinkConfig } from '../types.js';
import { closeOnce, DEFAULT_SEND_TIMEOUT_MS, encodeEnvelope, reportFailure, sinkError, type SinkDeps } from './sink-support.js';

type PubSubSinkConfig = Extract<SinkConfig, { kind: 'gcp_pubsub' }>;

/** The sink's failures carry the transport's codes and retryability. */
export { classifyPubSubError } from '../../transports/gcp-pubsub/pubsub-errors.js';

const asSinkError = (failure: TransportError) =>
  new SinkError(`gcp_pubsub operator-event sink: ${failure.message}`, failure.code, failure.retryable);

function open(config: PubSubSinkConfig): PubSubPublisher {
  try {
    return createPubSubPublisher(
      {
        projectId: config.projectId,
        topicId: config.topicId,
        endpoint: config.emulatorHost ?? process.env.PUBSUB_EMULATOR_HOST,
        serviceAccountJson: config.credentials,
      },
      { timeoutMs: DEFAULT_SEND_TIMEOUT_MS },
    );
  } catch (error) {
    throw error instanceof TransportError ? asSinkError(error) : error;
  }
}

export function createPubSubSink(config: PubSubSinkConfig, deps: SinkDeps): OperatorEventSink {
  const publisher = open(config);
  const lifecycle = closeOnce(() => publisher.close());

  async function send(event: OperatorEvent, signal?: AbortSignal): Promise<void> {
    if (lifecycle.closed) throw sinkError('gcp_pubsub', 'sink_closed', true);
    const deadline = createDeadline(DEFAULT_SEND_TIMEOUT_MS, signal);
    try {
      await publisher.publish(encodeEnvelope(event), { topic: event.topic }, deadline.signal);
    } catch (error) {
      const abortCode = deadline.reason();
      const failure = abortCode ? sinkError('gcp_pubsub', abortCode, true) : asSinkError(classifyPubSubError(error));
      throw reportFailure(deps, failure, error instanceof TransportError ? (error.cause ?? error) : error, { sink: 'gcp_pubsub', eventId: event.id });
    } finally {
      deadline.dispose();
    }
  }

  return { kind: 'gcp_pubsub', send, close: lifecycle.close };
}
