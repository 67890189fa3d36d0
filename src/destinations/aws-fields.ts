/**
 * Field declarations the three AWS destination types (SQS, Kinesis, S3) share: the access key
 * credentials, the region and the optional endpoint, plus the checks the declarations cannot say.
 */
import type { StringMap } from '../domain/types.js';
import type { DestinationSchemaField } from './types.js';

export const AWS_CREDENTIAL_FIELDS: readonly DestinationSchemaField[] = [
  { key: 'key', type: 'text', label: 'Access Key ID', description: 'The AWS access key ID.', required: true, sensitive: true },
  { key: 'secret', type: 'text', label: 'Secret Access Key', description: 'The AWS secret access key.', required: true, sensitive: true },
  {
    key: 'session', type: 'text', label: 'Session Token',
    description: 'An AWS session token, for temporary credentials (optional).', required: false, sensitive: true,
  },
];

/** AWS region names such as `us-east-1` or `ap-southeast-2`. */
export const AWS_REGION_PATTERN = '[a-z]{2}-[a-z]+-[0-9]+';

export const AWS_HTTP_URL_PATTERN = 'https?:\\/\\/[^\\s]+';

export function awsRegionField(description: string): DestinationSchemaField {
  return { key: 'region', type: 'text', label: 'AWS Region', description, required: true, sensitive: false, pattern: AWS_REGION_PATTERN };
}

export const AWS_ENDPOINT_FIELD: DestinationSchemaField = {
  key: 'endpoint', type: 'text', label: 'Endpoint',
  description: 'A custom endpoint URL, for an AWS-compatible server or a VPC endpoint (optional).',
  required: false, sensitive: false, pattern: AWS_HTTP_URL_PATTERN,
};

/** `config.endpoint is pattern` when an endpoint is set and is not an absolute http(s) URL. */
export function checkEndpoint(config: StringMap): string[] {
  const endpoint = config['endpoint'];
  if (endpoint === undefined || endpoint === '') return [];
  const url = URL.canParse(endpoint) ? new URL(endpoint) : undefined;
  return url && (url.protocol === 'http:' || url.protocol === 'https:') ? [] : ['config.endpoint is pattern'];
}
