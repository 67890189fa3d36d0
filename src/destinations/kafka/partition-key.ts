/** The record key: a JMESPath template over the event's data and metadata, else the event id. */
import { compile, search, type JSONValue } from '@jmespath-community/jmespath';
import type { StringMap } from '../../domain/types.js';

/** Why a template is unusable, as the 422 message fragment; undefined when it compiles. */
export function templateProblem(template: string): string | undefined {
  try {
    compile(template);
    return undefined;
  } catch {
    return 'config.partition_key_template is not a valid JMESPath expression';
  }
}

/**
 * The key for one event. A string result is the key as is, null or an empty string falls back to
 * the event id, anything else is its JSON.
 * @throws Error when the template fails at evaluation (a function given the wrong type).
 */
export function partitionKey(template: string | undefined, event: { id: string; data: unknown }, metadata: StringMap): string {
  if (!template) return event.id;
  const result = search({ data: event.data as JSONValue, metadata: { ...metadata } }, template);
  if (result === null || result === '') return event.id;
  return typeof result === 'string' ? result : JSON.stringify(result);
}
