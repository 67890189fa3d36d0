/**
 * The outgoing metadata map shared by every destination type: system keys, then
 * the destination's `delivery_metadata`, then the event's `metadata`, later ones winning.
 */
import type { StringMap } from '../domain/types.js';
import type { DeliveryEvent } from './types.js';

export const SYSTEM_METADATA_KEYS = {
  eventId: 'event-id',
  topic: 'topic',
  timestamp: 'timestamp',
  timestampMs: 'timestamp-ms',
  /** Herald's addition: the id of this send in the attempt log, so a receiver can match a request to its attempt. */
  attemptId: 'attempt-id',
} as const;

export interface DeliveryMetadataInput {
  readonly event: DeliveryEvent;
  readonly deliveryMetadata: StringMap;
  /** The time of this attempt (not the event time). */
  readonly attemptTime: Date;
  readonly includeMillisecondTimestamp: boolean;
  /** The attempt log id of this send; absent outside a delivery (tests, previews). */
  readonly attemptId?: string | undefined;
}

/** RFC 3339 in UTC with whole seconds, e.g. `2024-01-02T03:04:05Z`. */
export function formatRfc3339Seconds(time: Date): string {
  return `${time.toISOString().slice(0, 19)}Z`;
}

/** RFC 3339 in UTC with milliseconds, e.g. `2024-01-02T03:04:05.678Z`. */
export function formatRfc3339Millis(time: Date): string {
  return time.toISOString();
}

export function systemMetadata(event: DeliveryEvent, attemptTime: Date, includeMs: boolean, attemptId?: string): StringMap {
  const entries: [string, string][] = [
    [SYSTEM_METADATA_KEYS.eventId, event.id],
    [SYSTEM_METADATA_KEYS.topic, event.topic],
    [SYSTEM_METADATA_KEYS.timestamp, formatRfc3339Seconds(attemptTime)],
  ];
  if (includeMs) entries.push([SYSTEM_METADATA_KEYS.timestampMs, formatRfc3339Millis(attemptTime)]);
  if (attemptId !== undefined) entries.push([SYSTEM_METADATA_KEYS.attemptId, attemptId]);
  return Object.fromEntries(entries);
}

/**
 * Merges system < delivery metadata < event metadata. Built with `Object.fromEntries`, so keys
 * such as `__proto__` stay plain data.
 */
export function buildDeliveryMetadata(input: DeliveryMetadataInput): StringMap {
  const system = systemMetadata(input.event, input.attemptTime, input.includeMillisecondTimestamp, input.attemptId);
  return Object.fromEntries([
    ...Object.entries(system),
    ...Object.entries(input.deliveryMetadata),
    ...Object.entries(input.event.metadata),
  ]);
}
