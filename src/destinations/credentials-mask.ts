/**
 * Generic credential masking for API responses, driven by each provider's field metadata: the provider declares which keys are sensitive, this module hides them.
 */
import type { StringMap } from '../domain/types.js';
import type { DestinationSchemaField } from './types.js';

const MIN_REVEAL_LENGTH = 10;
const REVEALED_PREFIX = 4;

/** `≥10` chars: first 4 visible, the rest `*`; shorter values become `****` (length not revealed). */
export function maskValue(value: string): string {
  if (value.length < MIN_REVEAL_LENGTH) return '****';
  return value.slice(0, REVEALED_PREFIX) + '*'.repeat(value.length - REVEALED_PREFIX);
}

/**
 * Masks every credential declared sensitive, and every key the provider does not declare at all
 * (unknown keys are treated as secret by default).
 */
export function maskCredentials(credentials: StringMap, fields: readonly DestinationSchemaField[]): StringMap {
  const sensitivity = new Map(fields.map((field) => [field.key, field.sensitive]));
  return Object.fromEntries(
    Object.entries(credentials).map(([key, value]) => {
      const sensitive = sensitivity.get(key) ?? true;
      return [key, sensitive ? maskValue(value) : value];
    }),
  );
}
