/**
 * The two Hookdeck endpoints a hookdeck destination uses, over the shared HTTP transport: the
 * token check (`GET <api>/sources/<id>/managed/verify` with `X-Hookdeck-Source-Token`, answering
 * the source as JSON) and event ingestion (`POST <events>/<id>`, signed with `X-Hookdeck-Signature`).
 */
import type { StringMap } from '../../domain/types.js';
import type { HttpClient } from '../../transports/http/http-client.js';
import { DestinationValidationError, DestinationVerificationUnavailableError } from '../errors.js';
import type { DestinationLogger } from '../types.js';
import { HOOKDECK_TYPE } from './hookdeck-metadata.js';
import { hookdeckSignature, type HookdeckToken } from './hookdeck-token.js';

export const SOURCE_TOKEN_HEADER = 'x-hookdeck-source-token';
export const SIGNATURE_HEADER = 'x-hookdeck-signature';
/** Metadata keys travel as `X-Outpost-<key>` headers, as Outpost's Hookdeck destination sends them. */
export const METADATA_HEADER_PREFIX = 'x-outpost-';

/** RFC 9110 token characters (a header name). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII, spaces and tabs, no CR/LF (a header value). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\uffff]*$/u;

/** `<base>/<segment>` whether or not the base ends with a slash. */
function under(base: string, ...segments: string[]): URL {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return new URL(segments.map(encodeURIComponent).join('/'), prefix);
}

/** A refusal is Hookdeck saying no (4xx other than 408/429); anything else means "ask again later". */
const refused = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;

/**
 * Asks Hookdeck whether the token belongs to a managed source, and resolves the source's name.
 * @throws DestinationValidationError `credentials.token is invalid` when Hookdeck refuses it;
 *   DestinationVerificationUnavailableError when Hookdeck cannot be reached or answers otherwise.
 */
export async function verifyHookdeckToken(
  http: HttpClient, apiUrl: string, token: HookdeckToken, signal: AbortSignal, logger: DestinationLogger,
): Promise<{ name: string }> {
  let response;
  try {
    const url = under(apiUrl, 'sources', token.sourceId, 'managed', 'verify');
    response = await http.get({ url, headers: { [SOURCE_TOKEN_HEADER]: token.signingKey, accept: 'application/json' }, signal });
  } catch (error) {
    logger.warn({ sourceId: token.sourceId, err: error }, 'hookdeck token verification could not reach Hookdeck');
    throw new DestinationVerificationUnavailableError(HOOKDECK_TYPE, { cause: error });
  }
  if (refused(response.status)) {
    logger.debug({ sourceId: token.sourceId, status: response.status }, 'hookdeck refused the source token');
    throw new DestinationValidationError(['credentials.token is invalid']);
  }
  const name = response.status === 200 ? sourceName(response.body) : undefined;
  if (name === undefined) {
    logger.warn({ sourceId: token.sourceId, status: response.status }, 'hookdeck token verification got an unusable answer');
    throw new DestinationVerificationUnavailableError(HOOKDECK_TYPE);
  }
  return { name };
}

function sourceName(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { name?: unknown };
    return typeof parsed.name === 'string' ? parsed.name : '';
  } catch {
    return undefined;
  }
}

/** Thrown when an event's metadata cannot travel as HTTP headers; recorded as a permanent `ERR` attempt. */
export class HookdeckFormatError extends Error {
  constructor(readonly reason: string) {
    super(`could not format event for delivery: ${reason}`);
    this.name = 'HookdeckFormatError';
  }
}

export interface HookdeckRequestInput {
  readonly eventsUrl: string;
  readonly token: HookdeckToken;
  /** `JSON.stringify(event.data)`: the bytes sent and signed. */
  readonly body: string;
  readonly metadata: StringMap;
  readonly userAgent: string;
}

/** The URL and headers of one ingestion POST. Pure. @throws HookdeckFormatError */
export function buildHookdeckRequest(input: HookdeckRequestInput): { url: URL; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.metadata)) {
    const name = `${METADATA_HEADER_PREFIX}${key}`.toLowerCase();
    if (!HEADER_NAME.test(name)) throw new HookdeckFormatError(`metadata key "${key}" is not a valid HTTP header name`);
    if (!HEADER_VALUE.test(value)) throw new HookdeckFormatError(`metadata key "${key}" has a value that cannot be sent in an HTTP header`);
    headers[name] = value;
  }
  headers['content-type'] = 'application/json';
  headers['user-agent'] = input.userAgent;
  headers[SIGNATURE_HEADER] = hookdeckSignature(input.token.signingKey, input.body);
  return { url: under(input.eventsUrl, input.token.sourceId), headers };
}
