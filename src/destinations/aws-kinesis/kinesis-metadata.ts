/** The `aws_kinesis` entry of `GET /destination-types`. */
import { AWS_CREDENTIAL_FIELDS, AWS_ENDPOINT_FIELD, awsRegionField } from '../aws-fields.js';
import type { DestinationTypeMetadata } from '../types.js';

export const KINESIS_TYPE = 'aws_kinesis';

const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">' +
  '<rect width="16" height="16" rx="4" fill="#7B3FE4"/>' +
  '<path d="M3 5c2.5-1.5 7.5-1.5 10 0M3 8c2.5-1.5 7.5-1.5 10 0M3 11c2.5-1.5 7.5-1.5 10 0" ' +
  'stroke="#fff" stroke-width="1.3" fill="none" stroke-linecap="round"/></svg>';

const INSTRUCTIONS = `## Delivering to Amazon Kinesis Data Streams

Each event becomes one record (\`PutRecord\`). By default the record is a JSON object
\`{"metadata": {…}, "data": <event data>}\`; \`metadata\` holds the event id (\`event-id\`), the
\`topic\`, the attempt \`timestamp\` and every metadata key. An operator may configure records to
carry the event data alone.

### Partition key

Records with one partition key go to one shard, in order. The key is the event id unless you set a
**partition key template**: a [JMESPath](https://jmespath.org) expression over
\`{"metadata": …, "data": …}\` (or over the data alone when records carry only the data), for
example \`data.customer_id\` or \`metadata."event-id"\`. When the template yields nothing, or
cannot be evaluated for an event, the event id is used.

### Setting up

1. Create a data stream in the region you enter here.
2. Create an IAM user or role allowed to call \`kinesis:PutRecord\` on that stream, and an access
   key for it. Temporary credentials also need the session token.
3. Failed sends are retried on the destination's schedule, so a stream may hold an event more
   than once; use \`event-id\` to drop duplicates.`;

export const KINESIS_METADATA: DestinationTypeMetadata = {
  type: KINESIS_TYPE,
  label: 'AWS Kinesis',
  description: 'Send events as records to an Amazon Kinesis data stream.',
  icon: ICON,
  instructions: INSTRUCTIONS,
  config_fields: [
    {
      key: 'stream_name', type: 'text', label: 'Stream Name', description: 'The name of the Kinesis data stream.',
      required: true, sensitive: false, pattern: '[a-zA-Z0-9_.\\-]+', maxlength: 128,
    },
    awsRegionField('The AWS region of the stream, such as us-east-1.'),
    AWS_ENDPOINT_FIELD,
    {
      key: 'partition_key_template', type: 'text', label: 'Partition Key Template',
      description: 'A JMESPath expression over {metadata, data} giving the partition key (optional; the event id by default and when it yields nothing).',
      required: false, sensitive: false, placeholder: 'data.customer_id',
    },
  ],
  credential_fields: AWS_CREDENTIAL_FIELDS,
};
