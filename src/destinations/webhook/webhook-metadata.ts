/** The webhook entry of `GET /destination-types`; the instructions depend on the signing mode. */
import type { WebhookMode } from '../options.js';
import type { DestinationTypeMetadata } from '../types.js';
import { WEBHOOK_CONFIG_FIELDS, WEBHOOK_CREDENTIAL_FIELDS } from './webhook-schema.js';

export const WEBHOOK_TYPE = 'webhook';

const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16" fill="none" ' +
  'stroke="currentColor" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round">' +
  '<circle cx="4" cy="11.5" r="2"/><circle cx="12" cy="11.5" r="2"/><circle cx="8" cy="4" r="2"/>' +
  '<path d="M6 11.5h4M9 5.8l2 3.9M7 5.8 5 9.7"/></svg>';

const DEFAULT_INSTRUCTIONS = `## Receiving webhooks

Each event is sent as an HTTP \`POST\` with a JSON body (the event data) to your URL. Answer with a
2xx status within the delivery timeout; any other status, a redirect, or a network error counts as
a failed attempt and is retried.

Headers sent with every request:

- \`{prefix}event-id\`: the event id, stable across retries. Use it to ignore duplicates.
- \`{prefix}topic\`: the event topic.
- \`{prefix}timestamp\`: the attempt time (RFC 3339).
- \`{prefix}signature\`: \`v0=<signature>\`, or \`v0=<current>,<previous>\` while a rotated secret is still valid.
- \`{prefix}<key>\` for every metadata key.

### Verifying the signature

Compute the HMAC of the **raw request body** keyed with your signing secret (the whole string,
including \`whsec_\`), encode it, and compare it in constant time with each value after \`v0=\`.
Accept the request if any of them matches.`;

const STANDARD_INSTRUCTIONS = `## Receiving webhooks (Standard Webhooks)

Each event is sent as an HTTP \`POST\` with a JSON body (the event data) and the
[Standard Webhooks](https://www.standardwebhooks.com) headers, so any Standard Webhooks library
verifies it. Answer with a 2xx status; anything else is retried.

- \`{prefix}id\`: the event id, stable across retries. Use it to ignore duplicates.
- \`{prefix}timestamp\`: Unix seconds of the attempt. Reject stale requests.
- \`{prefix}signature\`: space-separated \`v1,<base64>\` entries, current secret first.
- \`{prefix}topic\` and \`{prefix}<key>\` for metadata.

### Verifying the signature

Base64-decode the part of your secret after \`whsec_\` to get the key. Compute
HMAC-SHA256 of \`<id>.<timestamp>.<raw body>\`, base64-encode it, and compare it in constant time
with each \`v1,\` entry.`;

export function webhookTypeMetadata(mode: WebhookMode, headerPrefix: string): DestinationTypeMetadata {
  const template = mode === 'standard' ? STANDARD_INSTRUCTIONS : DEFAULT_INSTRUCTIONS;
  return {
    type: WEBHOOK_TYPE,
    label: 'Webhook',
    description: 'Send events to an HTTP endpoint as signed POST requests.',
    icon: ICON,
    instructions: template.replaceAll('{prefix}', headerPrefix),
    config_fields: WEBHOOK_CONFIG_FIELDS,
    credential_fields: WEBHOOK_CREDENTIAL_FIELDS,
  };
}
