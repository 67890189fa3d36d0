/**
 * `aws_s3`: one object per event. The body is the event data as JSON, the metadata map becomes
 * the object's user metadata, and the key comes from the destination's JMESPath key template.
 * `endpoint` (an AWS-compatible server) is honoured and checked but not offered in the form.
 */
import type { Destination } from '../../domain/types.js';
import { destinationCredentials, type AwsClientTarget } from '../../transports/aws/aws-client.js';
import { createS3Transport } from '../../transports/aws-s3/s3-transport.js';
import { TransportError } from '../../transports/errors.js';
import { checkEndpoint } from '../aws-fields.js';
import { isValidTemplate } from '../jmespath-template.js';
import { createMessageProvider } from '../message-provider.js';
import type { DestinationOptions } from '../options.js';
import { FORMAT_ERROR_CODE, type DestinationProvider, type ProviderDeps } from '../types.js';
import { DEFAULT_KEY_TEMPLATE, S3_METADATA, S3_TYPE } from './s3-metadata.js';
import { ObjectKeyError, objectKey } from './s3-object-key.js';

export function s3Target(destination: Destination): AwsClientTarget {
  return {
    region: destination.config['region'] ?? '',
    endpoint: destination.config['endpoint'] || undefined,
    credentials: destinationCredentials(destination.credentials),
  };
}

const keyTemplateOf = (destination: Destination) => destination.config['key_template'] || DEFAULT_KEY_TEMPLATE;

function checkKeyTemplate(template: string | undefined): string[] {
  return template && !isValidTemplate(template) ? ['config.key_template is pattern'] : [];
}

export function createS3Provider(options: DestinationOptions, deps: ProviderDeps): DestinationProvider {
  const transport = createS3Transport();
  return createMessageProvider({
    type: S3_TYPE,
    metadata: S3_METADATA,
    check: (config) => [...checkKeyTemplate(config['key_template']), ...checkEndpoint(config)],
    target: (destination) => `${destination.config['bucket'] ?? ''} in ${destination.config['region'] ?? ''}`,
    targetUrl: (destination) => {
      const { bucket = '', region = '' } = destination.config;
      return `https://s3.console.aws.amazon.com/s3/buckets/${encodeURIComponent(bucket)}?region=${encodeURIComponent(region)}`;
    },
    async send(message, destination, signal) {
      let key: string;
      try {
        key = objectKey(keyTemplateOf(destination), message.event, message.metadata);
      } catch (error) {
        if (!(error instanceof ObjectKeyError)) throw error;
        throw new TransportError(FORMAT_ERROR_CODE, false, `could not format event for delivery: ${error.message}`, { cause: error });
      }
      await transport.send(s3Target(destination), {
        bucket: destination.config['bucket'] ?? '',
        key,
        body: message.body,
        contentType: 'application/json',
        metadata: message.metadata,
        storageClass: destination.config['storage_class'] || 'STANDARD',
      }, signal);
    },
    release: (destination) => transport.release(s3Target(destination)),
    close: () => transport.close(),
  }, options, deps);
}
