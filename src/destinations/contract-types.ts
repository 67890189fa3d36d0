/**
 * Destination type names of the Outpost contract (its `DestinationType` enum, plus `kafka`, which
 * its query parameters and `/destination-types/{type}` use). Herald may lack a provider for some:
 * a list filter naming one of those is valid and matches nothing; any other name is refused.
 */
export const CONTRACT_DESTINATION_TYPES: readonly string[] = [
  'webhook', 'hookdeck', 'aws_sqs', 'aws_kinesis', 'aws_s3', 'gcp_pubsub', 'azure_servicebus', 'rabbitmq', 'kafka',
];

/** Names a type filter accepts: the registered types first, then the contract's others. */
export function filterableDestinationTypes(registeredTypes: readonly string[]): string[] {
  return [...new Set([...registeredTypes, ...CONTRACT_DESTINATION_TYPES])];
}
