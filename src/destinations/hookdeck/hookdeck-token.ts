/**
 * Hookdeck source tokens and signatures. A token is base64 of `<source id>:<secret part>`; the
 * whole token string (not the decoded secret part) is the HMAC key Hookdeck checks signatures with.
 */
import { createHmac } from 'node:crypto';

export interface HookdeckToken {
  readonly sourceId: string;
  /** The token exactly as given: Hookdeck's key for `X-Hookdeck-Signature` and the verify call. */
  readonly signingKey: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The token's parts, or undefined when it is not base64 of `<id>:<rest>` with a non-empty id. */
export function parseHookdeckToken(token: string): HookdeckToken | undefined {
  const trimmed = token.trim();
  if (trimmed.length % 4 !== 0 || !BASE64.test(trimmed)) return undefined;
  const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { sourceId: decoded.slice(0, colon), signingKey: trimmed };
}

/** `v0=<base64 HMAC-SHA256(signing key, body)>` over exactly the bytes sent. */
export function hookdeckSignature(signingKey: string, body: string | Buffer): string {
  return `v0=${createHmac('sha256', signingKey).update(body).digest('base64')}`;
}
