/** The azure_servicebus entry of `GET /destination-types`. */
import type { DestinationTypeMetadata } from '../types.js';

export const AZURE_SERVICEBUS_TYPE = 'azure_servicebus';

const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" width="18" height="18" viewBox="0 0 18 18">' +
  '<rect x="1" y="3" width="16" height="12" rx="1.5" fill="#0078d4"/>' +
  '<path d="M4 7h10M4 9h10M4 11h6" stroke="#50e6ff" stroke-width="1.2" stroke-linecap="round"/></svg>';

const INSTRUCTIONS = `## Sending events to Azure Service Bus

Each event becomes one Service Bus message on the queue or topic you name:

- the message body is the event data as JSON (content type \`application/json\`);
- the application properties carry the metadata: \`event-id\`, \`topic\`, \`timestamp\` and every
  metadata key of the destination and the event.

### Setting it up

1. In your Service Bus namespace, create the queue or the topic (with a subscription to read from).
2. Create a shared access policy with the **Send** right on that queue or topic (or on the
   namespace) and copy its primary connection string. It looks like
   \`Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=<policy>;SharedAccessKey=<key>\`.
3. Enter the queue or topic name and the connection string here. A connection string made for one
   entity ends with \`EntityPath=<name>\`; the name must then be that entity.`;

export const azureServiceBusTypeMetadata: DestinationTypeMetadata = {
  type: AZURE_SERVICEBUS_TYPE,
  label: 'Azure Service Bus',
  description: 'Send events to an Azure Service Bus queue or topic.',
  icon: ICON,
  instructions: INSTRUCTIONS,
  config_fields: [
    {
      key: 'name',
      type: 'text',
      label: 'Queue or Topic Name',
      description: 'The Service Bus queue or topic the events are sent to.',
      required: true,
      sensitive: false,
      pattern: '[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?',
      maxlength: 260,
    },
  ],
  credential_fields: [
    {
      key: 'connection_string',
      type: 'text',
      label: 'Connection String',
      description: 'A Service Bus connection string with Send rights on the queue or topic.',
      required: true,
      sensitive: true,
    },
  ],
};
