/**
 * Webhook signing-secret lifecycle, as Outpost manages it: generation, rotation,
 * role rules, and which secrets sign or show at a given time. Pure apart from the injected
 * random source.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { StringMap } from '../../domain/types.js';
import { formatRfc3339Seconds } from '../metadata.js';
import type { WebhookMode } from '../options.js';
import type { DestinationRole } from '../types.js';
import { STANDARD_SECRET_PREFIX, decodeStandardSecret } from './signature.js';

export const SECRET = 'secret';
export const PREVIOUS_SECRET = 'previous_secret';
export const PREVIOUS_SECRET_INVALID_AT = 'previous_secret_invalid_at';
export const ROTATE_SECRET = 'rotate_secret';

/** The only credential keys ever stored (`rotate_secret` is a command, never stored). */
export const STORED_SECRET_KEYS = [SECRET, PREVIOUS_SECRET, PREVIOUS_SECRET_INVALID_AT] as const;

/** How long a rotated-out secret keeps signing unless the caller says otherwise. */
export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

const SECRET_BYTES = 32;
const STANDARD_KEY_MIN_BYTES = 24;
const STANDARD_KEY_MAX_BYTES = 64;

export type SecretGenerator = () => string;

/** `whsec_` + 64 hex chars (default mode) or `whsec_` + base64 of 32 random bytes (standard). */
export function createSecretGenerator(
  mode: WebhookMode,
  randomBytes: (size: number) => Buffer = cryptoRandomBytes,
): SecretGenerator {
  const encoding = mode === 'standard' ? 'base64' : 'hex';
  return () => `${STANDARD_SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString(encoding)}`;
}

export function isTruthy(value: string | undefined): boolean {
  return ['true', '1', 'on', 'yes'].includes((value ?? '').trim().toLowerCase());
}

/** A secret usable in standard mode: `whsec_` + canonical base64 of 24–64 bytes. */
export function isValidStandardSecret(secret: string): boolean {
  if (!secret.startsWith(STANDARD_SECRET_PREFIX)) return false;
  const key = decodeStandardSecret(secret);
  return key !== undefined && key.length >= STANDARD_KEY_MIN_BYTES && key.length <= STANDARD_KEY_MAX_BYTES;
}

function parseInstant(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Secrets that sign at `now`, current first; an expired or undated previous secret is dropped. */
export function activeSigningSecrets(credentials: StringMap, now: Date): string[] {
  const secrets: string[] = [];
  const current = credentials[SECRET];
  if (current) secrets.push(current);
  const previous = credentials[PREVIOUS_SECRET];
  const invalidAt = parseInstant(credentials[PREVIOUS_SECRET_INVALID_AT]);
  if (previous && invalidAt !== undefined && invalidAt > now.getTime()) secrets.push(previous);
  return secrets;
}

/** Credentials as shown by the API: the previous secret and its date disappear once expired. */
export function visibleCredentials(credentials: StringMap, now: Date): StringMap {
  const invalidAt = parseInstant(credentials[PREVIOUS_SECRET_INVALID_AT]);
  const expired = invalidAt !== undefined && invalidAt <= now.getTime();
  return Object.fromEntries(
    Object.entries(credentials).filter(
      ([key]) => !(expired && (key === PREVIOUS_SECRET || key === PREVIOUS_SECRET_INVALID_AT)),
    ),
  );
}

export interface SecretPolicyInput {
  /** Requested credentials (on update: stored values with the patch merged in). */
  readonly credentials: StringMap;
  readonly role: DestinationRole;
  /** Stored credentials on update; undefined on create. */
  readonly existing: StringMap | undefined;
  readonly now: Date;
  readonly mode: WebhookMode;
  readonly generate: SecretGenerator;
}

export type SecretPolicyResult =
  | { readonly ok: true; readonly credentials: StringMap }
  | { readonly ok: false; readonly issues: string[] };

/**
 * Applies rotation or the role rules, then fills defaults. Assumes field formats were already
 * checked by the credentials schema.
 */
export function resolveWebhookCredentials(input: SecretPolicyInput): SecretPolicyResult {
  const chosen = isTruthy(input.credentials[ROTATE_SECRET])
    ? rotate(input)
    : input.role === 'admin'
      ? adminChoice(input)
      : tenantChoice(input);
  if (!chosen.ok) return chosen;
  return finalize(chosen.credentials, input);
}

function pickStored(credentials: StringMap): StringMap {
  return Object.fromEntries(STORED_SECRET_KEYS.flatMap((key) => (credentials[key] ? [[key, credentials[key]]] : [])));
}

function rotate(input: SecretPolicyInput): SecretPolicyResult {
  if (input.existing === undefined) return { ok: false, issues: [`credentials.${ROTATE_SECRET} is invalid`] };
  const current = input.existing[SECRET];
  if (!current) return { ok: false, issues: [`credentials.${SECRET} is required`] };
  const requested = input.credentials[PREVIOUS_SECRET_INVALID_AT];
  const callerInvalidAt =
    requested && !sameInstant(requested, input.existing[PREVIOUS_SECRET_INVALID_AT]) ? requested : undefined;
  const invalidAt = callerInvalidAt ?? formatRfc3339Seconds(new Date(input.now.getTime() + ROTATION_GRACE_MS));
  return {
    ok: true,
    credentials: { [SECRET]: input.generate(), [PREVIOUS_SECRET]: current, [PREVIOUS_SECRET_INVALID_AT]: invalidAt },
  };
}

function sameValue(key: string, requested: string, stored: string | undefined): boolean {
  return key === PREVIOUS_SECRET_INVALID_AT ? sameInstant(requested, stored) : requested === stored;
}

function sameInstant(a: string | undefined, b: string | undefined): boolean {
  const left = parseInstant(a);
  return left !== undefined && left === parseInstant(b);
}

/** Tenants never choose secrets: on create they get a generated one, on update they keep theirs. */
function tenantChoice(input: SecretPolicyInput): SecretPolicyResult {
  const stored = input.existing ?? {};
  const issues = STORED_SECRET_KEYS.filter((key) => {
    const requested = input.credentials[key];
    return requested !== undefined && requested !== '' && !sameValue(key, requested, stored[key]);
  }).map((key) => `credentials.${key} is forbidden`);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, credentials: pickStored(stored) };
}

function adminChoice(input: SecretPolicyInput): SecretPolicyResult {
  const chosen = pickStored(input.credentials);
  if (input.mode !== 'standard') return { ok: true, credentials: chosen };
  const stored = input.existing ?? {};
  const issues = [SECRET, PREVIOUS_SECRET]
    .filter((key) => chosen[key] !== undefined && chosen[key] !== stored[key])
    .filter((key) => !isValidStandardSecret(chosen[key] ?? ''))
    .map((key) => `credentials.${key} is invalid`);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, credentials: chosen };
}

function finalize(chosen: StringMap, input: SecretPolicyInput): SecretPolicyResult {
  const previous = chosen[PREVIOUS_SECRET];
  const invalidAt = chosen[PREVIOUS_SECRET_INVALID_AT];
  const issues: string[] = [];
  if (!chosen[SECRET] && (previous || invalidAt)) issues.push(`credentials.${SECRET} is required`);
  if (invalidAt && !previous) issues.push(`credentials.${PREVIOUS_SECRET} is required`);
  if (issues.length > 0) return { ok: false, issues };
  const result: [string, string][] = [[SECRET, chosen[SECRET] || input.generate()]];
  if (previous) {
    const instant = parseInstant(invalidAt) ?? input.now.getTime() + ROTATION_GRACE_MS;
    result.push([PREVIOUS_SECRET, previous], [PREVIOUS_SECRET_INVALID_AT, formatRfc3339Seconds(new Date(instant))]);
  }
  return { ok: true, credentials: Object.fromEntries(result) };
}
