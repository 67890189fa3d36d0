/**
 * `Retry-After` (RFC 9110 §10.2.3) as milliseconds from `now`. Pure; the retry policy decides how
 * much of it to honour and caps it.
 */

/** Statuses whose Retry-After is honoured. */
export const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

const DELTA_SECONDS = /^\d+$/;

/** asctime dates carry no zone but mean GMT; without one, `Date.parse` would use local time. */
const HAS_ZONE = /\b(?:GMT|UTC)\b|[+-]\d{4}$/i;

/**
 * `delay-seconds` (digits only) or an HTTP-date. A date in the past yields 0; anything else
 * (negative, fractional, garbage, empty) yields `undefined`.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  const trimmed = value?.trim();
  if (trimmed === undefined || trimmed === '') return undefined;
  if (DELTA_SECONDS.test(trimmed)) {
    const ms = Number(trimmed) * 1000;
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(HAS_ZONE.test(trimmed) ? trimmed : `${trimmed} GMT`);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/** Retry-After for a response, only for the statuses that define it. */
export function retryAfterForStatus(status: number, value: string | undefined, now: Date): number | undefined {
  return RETRY_AFTER_STATUSES.has(status) ? parseRetryAfter(value, now) : undefined;
}
