/** The hookdeck entry of `GET /destination-types`. */
import type { DestinationTypeMetadata } from '../types.js';

export const HOOKDECK_TYPE = 'hookdeck';

/** Hookdeck's dashboard: where a source is looked at (the target URL) and where tokens are made. */
export const HOOKDECK_DASHBOARD_URL = 'https://dashboard.hookdeck.com';

const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16" fill="none">' +
  '<rect width="16" height="16" rx="4" fill="#0044CC"/>' +
  '<path d="M4.5 8.5 7 6a2 2 0 0 1 2.8 2.8L8.6 10M11.5 7.5 9 10a2 2 0 0 1-2.8-2.8L7.4 6" ' +
  'stroke="#fff" stroke-width="1.4" stroke-linecap="round"/></svg>';

const INSTRUCTIONS = `## Sending events to Hookdeck

Events are delivered to a managed source of the [Hookdeck Event Gateway](https://hookdeck.com), which
then queues, filters, transforms and forwards them along the connections you set up there.

1. Choose **Generate Hookdeck Token** to create a managed source in the Hookdeck dashboard.
2. Copy the **source token** it shows and paste it into **Hookdeck Token** here. The token is
   checked with Hookdeck when the destination is saved, and again whenever it is changed.
3. In Hookdeck, create a connection from the new source to the endpoints that should receive the events.

Each event is sent as an HTTP \`POST\` with the event data as its JSON body, an
\`X-Hookdeck-Signature\` header Hookdeck checks, and an \`X-Outpost-<key>\` header for every metadata
key (\`event-id\`, \`topic\`, \`timestamp\`, and your own). Any status other than 2xx counts as a failed
attempt and is retried.`;

export const hookdeckTypeMetadata: DestinationTypeMetadata = {
  type: HOOKDECK_TYPE,
  label: 'Hookdeck',
  description: 'Send events to a Hookdeck Event Gateway source.',
  icon: ICON,
  instructions: INSTRUCTIONS,
  setup_link: { href: `${HOOKDECK_DASHBOARD_URL}/connect`, cta: 'Generate Hookdeck Token' },
  config_fields: [],
  credential_fields: [
    {
      key: 'token',
      type: 'text',
      label: 'Hookdeck Token',
      description: 'The source token Hookdeck shows when it creates a managed source.',
      required: true,
      sensitive: true,
    },
  ],
};
