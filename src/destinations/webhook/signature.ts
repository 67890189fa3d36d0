/**
 * Webhook signing, pure and pinned by `testdata/signature-vectors.json`.
 *
 * Default mode (Outpost-compatible): HMAC over the raw body keyed with the secret string as-is
 * (`whsec_` prefix included); header value `v0=<current>,<previous>`.
 * Standard Webhooks: HMAC-SHA256 over `<id>.<unix seconds>.<body>` keyed with the base64-decoded
 * secret; header value `v1,<sig>` entries separated by spaces, current secret first.
 *
 * Outpost's Go-template customisation of the signed content and header value is out of scope.
 */
import { createHmac } from 'node:crypto';
import type { SignatureAlgorithm, SignatureEncoding } from '../options.js';

export const STANDARD_SECRET_PREFIX = 'whsec_';

const HASHES: Record<SignatureAlgorithm, string> = { 'hmac-sha256': 'sha256', 'hmac-sha1': 'sha1' };

/** Canonical padded base64 (the Standard Webhooks secret alphabet). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function computeHmac(
  algorithm: SignatureAlgorithm,
  key: string | Uint8Array,
  content: string,
  encoding: SignatureEncoding,
): string {
  return createHmac(HASHES[algorithm], key).update(content, 'utf8').digest(encoding);
}

export interface DefaultSignatureInput {
  readonly body: string;
  /** Active secrets, current first. */
  readonly secrets: readonly string[];
  readonly algorithm: SignatureAlgorithm;
  readonly encoding: SignatureEncoding;
}

/** `v0=<sig>[,<sig>…]`, or `undefined` when there is no secret to sign with. */
export function buildDefaultSignatureHeader(input: DefaultSignatureInput): string | undefined {
  if (input.secrets.length === 0) return undefined;
  const signatures = input.secrets.map((secret) =>
    computeHmac(input.algorithm, secret, input.body, input.encoding),
  );
  return `v0=${signatures.join(',')}`;
}

/**
 * The HMAC key of a Standard Webhooks secret: the bytes of its base64 part (the `whsec_` prefix
 * is optional, as in the reference libraries). `undefined` when it is not canonical base64.
 */
export function decodeStandardSecret(secret: string): Buffer | undefined {
  const encoded = secret.startsWith(STANDARD_SECRET_PREFIX)
    ? secret.slice(STANDARD_SECRET_PREFIX.length)
    : secret;
  if (encoded === '' || !BASE64.test(encoded)) return undefined;
  return Buffer.from(encoded, 'base64');
}

export interface StandardSignatureInput {
  readonly id: string;
  /** Unix seconds, as sent in `webhook-timestamp`. */
  readonly timestamp: number;
  readonly body: string;
  /** Decoded keys, current first. */
  readonly keys: readonly Uint8Array[];
}

export function standardSignedContent(id: string, timestamp: number, body: string): string {
  return `${id}.${timestamp}.${body}`;
}

/** `v1,<sig>[ v1,<sig>…]`, or `undefined` when there is no key to sign with. */
export function buildStandardSignatureHeader(input: StandardSignatureInput): string | undefined {
  if (input.keys.length === 0) return undefined;
  const content = standardSignedContent(input.id, input.timestamp, input.body);
  return input.keys
    .map((key) => `v1,${computeHmac('hmac-sha256', key, content, 'base64')}`)
    .join(' ');
}
