/**
 * Length limits of the ids callers choose. Every delivery is a Temporal workflow whose id is
 * `delivery/<tenant>/<event>/<destination>`, and Temporal refuses ids longer than 1000 bytes (its
 * default `limit.maxIDLength`, counted in UTF-8 bytes), so the three limits together, plus the
 * prefix and separators, must stay under that: 9 + 255 + 1 + 255 + 1 + 255 = 776 bytes.
 * Tenant and destination ids are ASCII (see {@link ID_PATTERN}), so their character limits are byte
 * limits; event ids may be any text, so theirs is counted in bytes.
 */

export const TEMPORAL_MAX_ID_BYTES = 1000;

export const MAX_TENANT_ID_LENGTH = 255;
export const MAX_DESTINATION_ID_LENGTH = 255;
export const MAX_EVENT_ID_BYTES = 255;

/** Characters allowed in tenant ids and caller-chosen destination ids. */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]+$/;

export const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Why a tenant or destination id cannot be used, as a 422 rule (`is invalid`, ...), or null. */
export function asciiIdProblem(id: string, maxLength: number): string | null {
  if (id.length === 0) return 'is required';
  if (id.length > maxLength) return `must be at most ${maxLength} characters`;
  return ID_PATTERN.test(id) ? null : 'is invalid';
}

/** Why an event id cannot be used, or null. */
export function eventIdProblem(id: string): string | null {
  if (id.length === 0) return 'is required';
  return utf8Length(id) > MAX_EVENT_ID_BYTES ? `must be at most ${MAX_EVENT_ID_BYTES} bytes (UTF-8)` : null;
}
