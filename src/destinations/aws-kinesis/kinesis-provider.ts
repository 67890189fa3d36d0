/**
 * `aws_kinesis`: one record per event. The record is `{"metadata": {…}, "data": <data>}`, or the
 * data alone when the `awsKinesis.metadataInPayload` option is off (Kinesis records have no
 * attributes, so that is the only place metadata can travel). The partition key comes from the
 * destination's JMESPath template, falling back to the event id.
 */
import type { Destination } from '../../domain/types.js';
import { destinationCredentials, type AwsClientTarget } from '../../transports/aws/aws-client.js';
import { createKinesisTransport } from '../../transports/aws-kinesis/kinesis-transport.js';
import { checkEndpoint } from '../aws-fields.js';
import { evaluateTemplate } from '../jmespath-template.js';
import { createMessageProvider, type OutgoingMessage } from '../message-provider.js';
import type { DestinationOptions } from '../options.js';
import type { DestinationLogger, DestinationProvider, ProviderDeps } from '../types.js';
import { KINESIS_METADATA, KINESIS_TYPE } from './kinesis-metadata.js';

export function kinesisTarget(destination: Destination): AwsClientTarget {
  return {
    region: destination.config['region'] ?? '',
    endpoint: destination.config['endpoint'] || undefined,
    credentials: destinationCredentials(destination.credentials),
  };
}

/** The record's bytes: the envelope around the already-encoded data, or the data alone. */
export function kinesisRecordData(message: OutgoingMessage, metadataInPayload: boolean): Buffer {
  if (!metadataInPayload) return message.body;
  return Buffer.concat([Buffer.from(`{"metadata":${JSON.stringify(message.metadata)},"data":`, 'utf8'), message.body, Buffer.from('}')]);
}

/**
 * The template's result over what the record carries, or the event id when there is no template,
 * it yields nothing, or it fails for this event (a function given the wrong type).
 */
export function kinesisPartitionKey(
  template: string | undefined, message: OutgoingMessage, metadataInPayload: boolean, logger?: DestinationLogger,
): string {
  if (!template) return message.event.id;
  const input = metadataInPayload ? { metadata: message.metadata, data: message.event.data } : message.event.data;
  try {
    return evaluateTemplate(template, input) ?? message.event.id;
  } catch (error) {
    logger?.debug({ err: error, eventId: message.event.id }, 'aws_kinesis partition key template failed; using the event id');
    return message.event.id;
  }
}

export function createKinesisProvider(options: DestinationOptions, deps: ProviderDeps): DestinationProvider {
  const transport = createKinesisTransport();
  const { metadataInPayload } = options.awsKinesis;
  return createMessageProvider({
    type: KINESIS_TYPE,
    metadata: KINESIS_METADATA,
    check: (config) => checkEndpoint(config),
    target: (destination) => `${destination.config['stream_name'] ?? ''} in ${destination.config['region'] ?? ''}`,
    async send(message, destination, signal) {
      await transport.send(kinesisTarget(destination), {
        streamName: destination.config['stream_name'] ?? '',
        partitionKey: kinesisPartitionKey(destination.config['partition_key_template'], message, metadataInPayload, deps.logger),
        data: kinesisRecordData(message, metadataInPayload),
      }, signal);
    },
    release: (destination) => transport.release(kinesisTarget(destination)),
    close: () => transport.close(),
  }, options, deps);
}
