/**
 * Settings shared by all destination providers. A plain object: the config module fills it from
 * the environment; `defaultDestinationOptions()` documents every default in one place.
 */

export type WebhookMode = 'default' | 'standard';
export type SignatureAlgorithm = 'hmac-sha256' | 'hmac-sha1';
export type SignatureEncoding = 'hex' | 'base64';

export interface WebhookOptions {
  /** `default` = Outpost `X-Outpost-Signature: v0=…`; `standard` = Standard Webhooks headers. */
  readonly mode: WebhookMode;
  /** Header prefix; undefined = `x-outpost-` (default mode) or `webhook-` (standard); blank = none. */
  readonly headerPrefix: string | undefined;
  /** Default mode only; Standard Webhooks is always HMAC-SHA256. */
  readonly signatureAlgorithm: SignatureAlgorithm;
  /** Default mode only; Standard Webhooks is always base64. */
  readonly signatureEncoding: SignatureEncoding;
  /** Larger response bodies are stored as a placeholder; 0 = unlimited. */
  readonly maxResponseBodyBytes: number;
  /** Refuse loopback/private/link-local/… addresses after DNS resolution. */
  readonly blockPrivateNetworks: boolean;
  /** CIDRs (or single addresses) allowed even when private, e.g. `127.0.0.0/8` for local tests. */
  readonly allowedNetworks: readonly string[];
}

export interface HookdeckOptions {
  /** Base of Hookdeck's API, where a source token is verified (`…/sources/<id>/managed/verify`). */
  readonly apiUrl: string;
  /** Base of Hookdeck's event ingestion, where events are POSTed (`…/<source id>`). */
  readonly eventsUrl: string;
}

export interface DestinationOptions {
  /** Per-attempt deadline applied by the registry to every provider (`DELIVERY_TIMEOUT_SECONDS`). */
  readonly deliveryTimeoutMs: number;
  readonly userAgent: string;
  /** Adds the `timestamp-ms` metadata key (`DESTINATIONS_INCLUDE_MILLISECOND_TIMESTAMP`). */
  readonly includeMillisecondTimestamp: boolean;
  readonly webhook: WebhookOptions;
  readonly hookdeck: HookdeckOptions;
  readonly awsKinesis: AwsKinesisOptions;
}

export interface AwsKinesisOptions {
  /**
   * Send each record as `{"metadata": {…}, "data": <data>}` (true) or the data alone (false); the
   * partition key template reads `metadata` and `data` in the first case, the data in the second.
   */
  readonly metadataInPayload: boolean;
}

export const DEFAULT_MAX_RESPONSE_BODY_BYTES = 131_072;

export function defaultDestinationOptions(): DestinationOptions {
  return {
    deliveryTimeoutMs: 5_000,
    userAgent: 'Herald',
    includeMillisecondTimestamp: false,
    webhook: {
      mode: 'default',
      headerPrefix: undefined,
      signatureAlgorithm: 'hmac-sha256',
      signatureEncoding: 'hex',
      maxResponseBodyBytes: DEFAULT_MAX_RESPONSE_BODY_BYTES,
      blockPrivateNetworks: true,
      allowedNetworks: [],
    },
    awsKinesis: { metadataInPayload: true },
    hookdeck: { apiUrl: 'https://api.hookdeck.com/2025-01-01', eventsUrl: 'https://hkdk.events' },
  };
}

/** Thrown at start-up when destination options are unusable; `problems` lists every issue. */
export class InvalidDestinationOptionsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid destination options: ${problems.join('; ')}`);
    this.name = 'InvalidDestinationOptionsError';
  }
}

/** Checks the options shared by all providers; providers check their own section. */
export function assertDestinationOptions(options: DestinationOptions): void {
  const problems: string[] = [];
  if (!Number.isInteger(options.deliveryTimeoutMs) || options.deliveryTimeoutMs <= 0) {
    problems.push('deliveryTimeoutMs must be a positive integer');
  }
  if (options.userAgent.trim() === '' || /[^\t\x20-\x7e]/.test(options.userAgent)) {
    problems.push('userAgent must be non-empty printable ASCII');
  }
  if (problems.length > 0) throw new InvalidDestinationOptionsError(problems);
}
