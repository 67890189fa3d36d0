/**
 * Builds the body and headers of one webhook attempt. Pure: time, secrets and
 * metadata come in, the exact bytes to send come out.
 *
 * Application order (later wins): custom headers, [standard: event metadata unprefixed],
 * prefixed metadata, signature/system headers, then Content-Type and User-Agent.
 */
import type { StringMap } from '../../domain/types.js';
import { SYSTEM_METADATA_KEYS } from '../metadata.js';
import type { SignatureAlgorithm, SignatureEncoding, WebhookMode } from '../options.js';
import type { DeliveryEvent } from '../types.js';
import { HEADER_VALUE_PATTERN, RESERVED_HEADER_NAMES } from './webhook-schema.js';
import { buildDefaultSignatureHeader, buildStandardSignatureHeader, decodeStandardSecret } from './signature.js';

/** RFC 9110 token characters. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Thrown when an event cannot be turned into a request; recorded as a permanent `ERR` attempt. */
export class WebhookFormatError extends Error {
  constructor(readonly reason: string) {
    super(`could not format event for delivery: ${reason}`);
    this.name = 'WebhookFormatError';
  }
}

export interface WebhookRequestInput {
  readonly mode: WebhookMode;
  /** Resolved, lower-case; may be empty. */
  readonly headerPrefix: string;
  readonly event: DeliveryEvent;
  /** Merged delivery metadata (see `buildDeliveryMetadata`). */
  readonly metadata: StringMap;
  /** Validated, lower-case names. */
  readonly customHeaders: Readonly<Record<string, string>>;
  /** Active secrets, current first. */
  readonly secrets: readonly string[];
  readonly attemptTime: Date;
  readonly userAgent: string;
  readonly algorithm: SignatureAlgorithm;
  readonly encoding: SignatureEncoding;
}

export interface WebhookRequestParts {
  readonly body: string;
  /** Lower-case names. */
  readonly headers: Record<string, string>;
}

class HeaderSet {
  private readonly values = new Map<string, string>();

  /** `label` names the origin in errors, e.g. `metadata key "trace id"`. */
  set(name: string, value: string, label: string): void {
    const lower = name.toLowerCase();
    if (!TOKEN.test(lower)) throw new WebhookFormatError(`${label} is not a valid HTTP header name`);
    if (!HEADER_VALUE_PATTERN.test(value)) throw new WebhookFormatError(`${label} has a value that cannot be sent in an HTTP header`);
    this.values.set(lower, value);
  }

  toRecord(): Record<string, string> {
    return Object.fromEntries(this.values);
  }
}

function serialiseBody(data: Record<string, unknown>): string {
  try {
    return JSON.stringify(data);
  } catch {
    throw new WebhookFormatError('the event data is not serialisable as JSON');
  }
}

function standardKeys(secrets: readonly string[]): Uint8Array[] {
  const [current, ...previous] = secrets.map(decodeStandardSecret);
  if (secrets.length > 0 && current === undefined) {
    throw new WebhookFormatError('the signing secret is not a valid Standard Webhooks secret (whsec_<base64>)');
  }
  return [current, ...previous].filter((key): key is Buffer => key !== undefined);
}

function applyDefaultMode(headers: HeaderSet, input: WebhookRequestInput, body: string): void {
  for (const [key, value] of Object.entries(input.metadata)) {
    headers.set(input.headerPrefix + key, value, `metadata key "${key}"`);
  }
  const signature = buildDefaultSignatureHeader({
    body,
    secrets: input.secrets,
    algorithm: input.algorithm,
    encoding: input.encoding,
  });
  if (signature !== undefined) headers.set(`${input.headerPrefix}signature`, signature, 'the signature header');
}

/** System keys become `id` / `timestamp` derived from the event itself, so they match the signature. */
const STANDARD_SYSTEM_KEYS: ReadonlySet<string> = new Set([SYSTEM_METADATA_KEYS.eventId, SYSTEM_METADATA_KEYS.timestamp]);

function applyStandardMode(headers: HeaderSet, input: WebhookRequestInput, body: string): void {
  const prefix = input.headerPrefix;
  for (const [key, value] of Object.entries(input.event.metadata)) {
    if (!RESERVED_HEADER_NAMES.has(key.toLowerCase()) && TOKEN.test(key)) headers.set(key, value, `metadata key "${key}"`);
  }
  for (const [key, value] of Object.entries(input.metadata)) {
    if (!STANDARD_SYSTEM_KEYS.has(key)) headers.set(prefix + key, value, `metadata key "${key}"`);
  }
  const timestamp = Math.floor(input.attemptTime.getTime() / 1000);
  headers.set(`${prefix}id`, input.event.id, 'the event id');
  headers.set(`${prefix}timestamp`, String(timestamp), 'the timestamp header');
  const keys = standardKeys(input.secrets);
  const signature = buildStandardSignatureHeader({ id: input.event.id, timestamp, body, keys });
  if (signature !== undefined) headers.set(`${prefix}signature`, signature, 'the signature header');
}

/** @throws WebhookFormatError when the event or metadata cannot be sent. */
export function buildWebhookRequest(input: WebhookRequestInput): WebhookRequestParts {
  const body = serialiseBody(input.event.data);
  const headers = new HeaderSet();
  for (const [name, value] of Object.entries(input.customHeaders)) headers.set(name, value, `custom header "${name}"`);
  if (input.mode === 'standard') applyStandardMode(headers, input, body);
  else applyDefaultMode(headers, input, body);
  headers.set('content-type', 'application/json', 'Content-Type');
  headers.set('user-agent', input.userAgent, 'User-Agent');
  return { body, headers: headers.toRecord() };
}
