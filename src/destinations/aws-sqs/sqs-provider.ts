/**
 * `aws_sqs`: one SQS message per event. The body is the event data as JSON and the metadata map
 * travels as ONE string attribute, `metadata`, holding it as JSON (SQS allows ten attributes per
 * message; a metadata map can have more keys).
 */
import type { Destination } from '../../domain/types.js';
import { destinationCredentials } from '../../transports/aws/aws-client.js';
import { createSqsTransport, regionOfQueueUrl, type SqsTarget } from '../../transports/aws-sqs/sqs-transport.js';
import { checkEndpoint } from '../aws-fields.js';
import { createMessageProvider } from '../message-provider.js';
import type { DestinationOptions } from '../options.js';
import type { DestinationProvider, ProviderDeps } from '../types.js';
import { SQS_METADATA, SQS_TYPE } from './sqs-metadata.js';

/** The region used for queue URLs that do not name one (a local SQS-compatible server). */
const FALLBACK_REGION = 'us-east-1';

/**
 * Where a destination's messages go. The endpoint defaults to the queue URL's origin, so a queue
 * on a local server needs no `endpoint`; on AWS that origin is the regional SQS endpoint anyway.
 */
export function sqsTarget(destination: Destination): SqsTarget {
  const queueUrl = destination.config['queue_url'] ?? '';
  return {
    queueUrl,
    region: regionOfQueueUrl(queueUrl) ?? FALLBACK_REGION,
    endpoint: destination.config['endpoint'] || (URL.canParse(queueUrl) ? new URL(queueUrl).origin : undefined),
    credentials: destinationCredentials(destination.credentials),
  };
}

/** The AWS console page of a queue on AWS; undefined for other hosts. */
export function sqsConsoleUrl(queueUrl: string): string | undefined {
  const region = regionOfQueueUrl(queueUrl);
  if (!region) return undefined;
  return `https://${region}.console.aws.amazon.com/sqs/v3/home?region=${region}#/queues/${encodeURIComponent(queueUrl)}`;
}

function checkQueueUrl(queueUrl: string | undefined): string[] {
  if (!queueUrl) return [];
  const url = URL.canParse(queueUrl) ? new URL(queueUrl) : undefined;
  return url && url.pathname.length > 1 ? [] : ['config.queue_url is pattern'];
}

export function createSqsProvider(options: DestinationOptions, deps: ProviderDeps): DestinationProvider {
  const transport = createSqsTransport();
  return createMessageProvider({
    type: SQS_TYPE,
    metadata: SQS_METADATA,
    check: (config) => [...checkQueueUrl(config['queue_url']), ...checkEndpoint(config)],
    target: (destination) => destination.config['queue_url'] ?? '',
    targetUrl: (destination) => sqsConsoleUrl(destination.config['queue_url'] ?? ''),
    send: (message, destination, signal) =>
      transport.send(sqsTarget(destination), {
        body: message.body.toString('utf8'),
        attributes: { metadata: JSON.stringify(message.metadata) },
      }, signal),
    release: (destination) => transport.release(sqsTarget(destination)),
    close: () => transport.close(),
  }, options, deps);
}
