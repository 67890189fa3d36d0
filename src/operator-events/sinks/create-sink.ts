/** Builds the one configured operator-event sink (Outpost's HTTP, SQS, GCP Pub/Sub or RabbitMQ transport). */
import type { OperatorEventSink, SinkConfig } from '../types.js';
import { createHttpSink } from './http-sink.js';
import { createPubSubSink } from './pubsub-sink.js';
import { createRabbitMqSink } from './rabbitmq-sink.js';
import type { SinkDeps } from './sink-support.js';
import { createSqsSink } from './sqs-sink.js';

export type { SinkDeps } from './sink-support.js';

/**
 * Creates the sink; no connection is made until the first `send`. Throws a non-retryable
 * `SinkError` with code `invalid_config` when the configuration cannot work at all (bad URL,
 * unparsable credentials).
 */
export function createSink(config: SinkConfig, deps: SinkDeps): OperatorEventSink {
  switch (config.kind) {
    case 'http':
      return createHttpSink(config, deps);
    case 'aws_sqs':
      return createSqsSink(config, deps);
    case 'gcp_pubsub':
      return createPubSubSink(config, deps);
    case 'rabbitmq':
      return createRabbitMqSink(config, deps);
  }
}
