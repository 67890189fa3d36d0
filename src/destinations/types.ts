/**
 * The one interface every destination provider implements, and the shapes it
 * exchanges with the registry, the API and the delivery activity.
 */
import type { Destination, StringMap } from '../domain/types.js';

/** The event as a provider sees it: what is delivered, never where. */
export interface DeliveryEvent {
  readonly id: string;
  readonly topic: string;
  /** When the event happened (publish time); attempt time is separate. */
  readonly time: Date;
  readonly metadata: StringMap;
  /** The payload; sent as `JSON.stringify(data)`. */
  readonly data: Record<string, unknown>;
}

export interface PublishRequest {
  readonly event: DeliveryEvent;
  readonly destination: Destination;
  /**
   * Aborts the attempt. An abort whose reason is a `TimeoutError` is the per-attempt timeout and
   * is classified `timeout`; any other abort is a cancellation (shutdown) and rejects with
   * `PublishAbortedError` so the caller requeues instead of recording a failed attempt.
   */
  readonly signal: AbortSignal;
  /** The attempt log id of this send, passed to the destination as the `attempt-id` metadata key. */
  readonly attemptId?: string | undefined;
}

/**
 * The outcome of one attempt. `code` is the HTTP status as a string for HTTP destinations, `OK`
 * for broker destinations, or a failure class from {@link TransportErrorCode} / `ERR`.
 */
export type PublishResult =
  | { readonly ok: true; readonly code: string; readonly responseData: Record<string, unknown> | null }
  | {
      readonly ok: false;
      readonly code: string;
      readonly responseData: Record<string, unknown> | null;
      /** Receiver-requested delay before the next attempt (Retry-After), in milliseconds. */
      readonly retryAfterMs?: number;
    };

export type { TransportErrorCode } from '../transports/network-errors.js';

/** Code recorded when an event cannot be formatted for a destination (permanent). */
export const FORMAT_ERROR_CODE = 'ERR';

/** One field of `config_fields` / `credential_fields` in `GET /destination-types` (snake_case, served as-is). */
export interface DestinationSchemaField {
  readonly key: string;
  readonly type: 'text' | 'checkbox' | 'key_value_map' | 'select';
  readonly label: string;
  readonly description: string;
  readonly required: boolean;
  /** Masked in API responses when true. */
  readonly sensitive: boolean;
  readonly default?: string;
  readonly minlength?: number;
  readonly maxlength?: number;
  /** HTML5-compatible pattern; the provider's zod schema is the authority. */
  readonly pattern?: string;
  readonly options?: readonly { readonly label: string; readonly value: string }[];
  readonly placeholder?: string;
  readonly key_placeholder?: string;
  readonly value_placeholder?: string;
}

/** One entry of `GET /destination-types`, snake_case and ready to serve. */
export interface DestinationTypeMetadata {
  readonly type: string;
  readonly label: string;
  readonly description: string;
  /** SVG markup. */
  readonly icon: string;
  /** Markdown. */
  readonly instructions: string;
  readonly setup_link?: { readonly href: string; readonly cta: string };
  readonly config_fields: readonly DestinationSchemaField[];
  readonly credential_fields: readonly DestinationSchemaField[];
}

/**
 * Who is creating or changing a destination: an admin (the API key) or a tenant (its token).
 * Some fields, such as a webhook's secret or the stored timestamps, only an admin may set.
 */
export type DestinationRole = 'admin' | 'tenant';

export interface PrepareInput {
  /** On update: the stored values with the patch already merged in. */
  readonly config: StringMap;
  readonly credentials: StringMap;
  readonly role: DestinationRole;
  /** The stored destination on update; undefined on create. */
  readonly existing?: Destination;
  readonly now: Date;
}

export interface PreparedDestination {
  readonly config: StringMap;
  readonly credentials: StringMap;
}

/** What the API shows for a destination beyond its stored fields. */
export interface PresentedDestination {
  readonly credentials: StringMap;
  readonly target: string;
  readonly targetUrl?: string;
}

export interface DestinationProvider {
  /** The destination `type` string, snake_case (`webhook`, `aws_sqs`). */
  readonly type: string;
  readonly metadata: DestinationTypeMetadata;
  /**
   * Validates and normalises config and credentials for create (`existing` undefined) or update
   * (merged values); generates or rotates secrets; enforces role rules.
   * @throws DestinationValidationError with `data` such as `["config.url is required"]`.
   */
  prepare(input: PrepareInput): PreparedDestination;
  /**
   * For types whose credentials only the destination's own service can judge (a Hookdeck source
   * token): asks that service, after `prepare` succeeded, and resolves what to store (which may
   * carry what the service answered, such as a display name). `existing` is the stored destination
   * on update, so unchanged credentials need not be asked about again. Types without it omit it.
   * @throws DestinationValidationError when the service refuses the credentials;
   *   DestinationVerificationUnavailableError when it cannot be asked now (down, slow, erroring).
   */
  verify?(prepared: PreparedDestination, existing: Destination | undefined, signal: AbortSignal): Promise<PreparedDestination>;
  /** Credentials as the API shows them (masked per sensitive fields) plus the display target. */
  present(destination: Destination, now: Date): PresentedDestination;
  /**
   * Makes one delivery attempt. Destination-side failures resolve `{ ok: false }` with a
   * classified code; only cancellation, shutdown and programming errors reject.
   */
  publish(req: PublishRequest): Promise<PublishResult>;
  /**
   * Closes any client cached for this destination's configuration (it changed or was deleted).
   * Providers without cached clients omit it. Other processes drop such clients when they idle.
   */
  release?(destination: Destination): Promise<void>;
  /** Waits for in-flight publishes, then releases connections. Idempotent. */
  close(): Promise<void>;
}

/** Minimal structured logger (a pino logger satisfies it). Never given secrets or headers. */
export interface DestinationLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Collaborators a provider factory receives besides the options. */
export interface ProviderDeps {
  /** Attempt time source. */
  readonly clock: () => Date;
  readonly logger: DestinationLogger;
}
