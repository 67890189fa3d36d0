/** The `aws_s3` entry of `GET /destination-types`. */
import { AWS_CREDENTIAL_FIELDS, awsRegionField } from '../aws-fields.js';
import type { DestinationTypeMetadata } from '../types.js';

export const S3_TYPE = 'aws_s3';

/** One object per event, named `<event time, RFC 3339 with fractional seconds>_<event id>.json`. */
export const DEFAULT_KEY_TEMPLATE = `join('', [time.rfc3339_nano, '_', metadata."event-id", '.json'])`;

/** The storage classes PutObject accepts for a general-purpose, directory or Outposts bucket. */
export const S3_STORAGE_CLASSES = [
  'STANDARD', 'INTELLIGENT_TIERING', 'STANDARD_IA', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE',
  'REDUCED_REDUNDANCY', 'EXPRESS_ONEZONE', 'OUTPOSTS', 'SNOW',
] as const;

const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">' +
  '<rect width="16" height="16" rx="4" fill="#3F8624"/>' +
  '<ellipse cx="8" cy="4.5" rx="4.5" ry="1.6" fill="none" stroke="#fff" stroke-width="1.2"/>' +
  '<path d="M3.5 4.5l1 7.5c.3 1 2 1.5 3.5 1.5s3.2-.5 3.5-1.5l1-7.5" fill="none" stroke="#fff" stroke-width="1.2"/></svg>';

const INSTRUCTIONS = `## Delivering to Amazon S3

Each event is stored as one object (\`PutObject\`):

- the object **body** is the event data as JSON (\`Content-Type: application/json\`), sent with a
  SHA-256 checksum that S3 verifies;
- the event id (\`event-id\`), \`topic\`, attempt \`timestamp\` and every metadata key are stored as
  the object's **user metadata** (\`x-amz-meta-*\`);
- the **storage class** is the one selected here (\`STANDARD\` by default).

### Object keys

The key is the result of a [JMESPath](https://jmespath.org) **key template** evaluated over
\`data\`, \`metadata\` and \`time\` (the event time, UTC): \`time.year\`, \`time.month\`,
\`time.day\`, \`time.hour\`, \`time.minute\`, \`time.second\`, \`time.date\` (\`2024-05-01\`),
\`time.datetime\` (\`2024-05-01T10:00:00\`), \`time.unix\`, \`time.rfc3339\` and
\`time.rfc3339_nano\`. The default is \`${DEFAULT_KEY_TEMPLATE}\`; for one folder per day use
\`join('/', [time.date, join('', [metadata."event-id", '.json'])])\`. A template that yields nothing
for an event fails that attempt.

### Setting up

1. Create the bucket in the region you enter here.
2. Create an IAM user or role allowed to call \`s3:PutObject\` on \`arn:aws:s3:::<bucket>/*\`, and an
   access key for it. Temporary credentials also need the session token.
3. A retried attempt writes the same key again when the key depends only on the event (the default
   does), so retries do not create duplicates.`;

export const S3_METADATA: DestinationTypeMetadata = {
  type: S3_TYPE,
  label: 'AWS S3',
  description: 'Store events as objects in an Amazon S3 bucket.',
  icon: ICON,
  instructions: INSTRUCTIONS,
  config_fields: [
    {
      key: 'bucket', type: 'text', label: 'Bucket Name', description: 'The name of the S3 bucket.', required: true, sensitive: false,
      minlength: 3, maxlength: 63,
    },
    awsRegionField('The AWS region of the bucket, such as us-east-1.'),
    {
      key: 'key_template', type: 'text', label: 'Object Key Template',
      description: `A JMESPath expression over {data, metadata, time} giving each object's key (optional; default ${DEFAULT_KEY_TEMPLATE}).`,
      required: false, sensitive: false, placeholder: `join('/', [time.year, time.month, time.day, metadata."event-id"])`,
    },
    {
      key: 'storage_class', type: 'select', label: 'S3 Storage Class', description: 'The storage class of the stored objects.',
      required: false, sensitive: false, default: 'STANDARD',
      options: S3_STORAGE_CLASSES.map((value) => ({ label: value, value })),
    },
  ],
  credential_fields: AWS_CREDENTIAL_FIELDS,
};
