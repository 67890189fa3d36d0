/** The `aws_sqs` entry of `GET /destination-types`. */
import { AWS_CREDENTIAL_FIELDS, AWS_ENDPOINT_FIELD, AWS_HTTP_URL_PATTERN } from '../aws-fields.js';
import type { DestinationTypeMetadata } from '../types.js';

export const SQS_TYPE = 'aws_sqs';

const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">' +
  '<rect width="16" height="16" rx="4" fill="#C7254E"/>' +
  '<path d="M3.5 5.5h9M3.5 8h9M3.5 10.5h9" stroke="#fff" stroke-width="1.4" stroke-linecap="round"/></svg>';

const INSTRUCTIONS = `## Delivering to Amazon SQS

Each event becomes one SQS message:

- the message **body** is the event data as JSON;
- one **message attribute** named \`metadata\` (type \`String\`) holds a JSON object with the event
  id (\`event-id\`), the \`topic\`, the attempt \`timestamp\` and every metadata key.

### Setting up

1. Create a standard queue (FIFO queues need a message group id and are not supported) and copy its
   URL, \`https://sqs.<region>.amazonaws.com/<account>/<queue>\`. The region is read from the URL.
2. Create an IAM user or role allowed to call \`sqs:SendMessage\` on that queue only, and an access
   key for it. Temporary credentials also need the session token.
3. Retries are handled here: a failed send is retried on the destination's schedule, so the queue
   may receive an event more than once. Use the \`event-id\` in \`metadata\` to drop duplicates.`;

export const SQS_METADATA: DestinationTypeMetadata = {
  type: SQS_TYPE,
  label: 'AWS SQS',
  description: 'Send events as messages to an Amazon SQS queue.',
  icon: ICON,
  instructions: INSTRUCTIONS,
  config_fields: [
    {
      key: 'queue_url', type: 'text', label: 'Queue URL', description: 'The URL of the SQS queue.',
      required: true, sensitive: false, pattern: AWS_HTTP_URL_PATTERN,
      placeholder: 'https://sqs.us-east-1.amazonaws.com/123456789012/my-queue',
    },
    AWS_ENDPOINT_FIELD,
  ],
  credential_fields: AWS_CREDENTIAL_FIELDS,
};
