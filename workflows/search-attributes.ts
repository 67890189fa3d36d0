/**
 * The custom search attributes Herald registers in its namespace, shared by the workflow
 * contracts that set them. Deterministic, no I/O.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TenantIdKey = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const DestinationIdKey = defineSearchAttributeKey('DestinationId', SearchAttributeType.KEYWORD);
export const EventIdKey = defineSearchAttributeKey('EventId', SearchAttributeType.KEYWORD);
export const TopicKey = defineSearchAttributeKey('Topic', SearchAttributeType.KEYWORD);
export const DestinationTypeKey = defineSearchAttributeKey('DestinationType', SearchAttributeType.KEYWORD);
export const DeliveryStatusKey = defineSearchAttributeKey('DeliveryStatus', SearchAttributeType.KEYWORD);
export const AttemptCountKey = defineSearchAttributeKey('AttemptCount', SearchAttributeType.INT);

/** Every custom search attribute Herald registers in its namespace. */
export const heraldSearchAttributes = [
  TenantIdKey,
  DestinationIdKey,
  EventIdKey,
  TopicKey,
  DestinationTypeKey,
  DeliveryStatusKey,
  AttemptCountKey,
] as const;
