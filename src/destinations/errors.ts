/** Errors shared by the registry and the providers. */

/**
 * Thrown by `prepare` when config or credentials are invalid or not allowed for the caller's role.
 * `data` holds messages such as `config.url is required` for the API's 422 envelope.
 */
export class DestinationValidationError extends Error {
  constructor(readonly data: readonly string[]) {
    super(`destination validation failed: ${data.join(', ')}`);
    this.name = 'DestinationValidationError';
  }
}

/**
 * Thrown by `verify` when the service that judges a destination's credentials could not answer
 * (unreachable, timed out, or failing itself): nothing is known to be wrong with the request, so
 * the caller may try again later. `cause` is the transport's error, for logs.
 */
export class DestinationVerificationUnavailableError extends Error {
  constructor(
    readonly type: string,
    options?: { cause?: unknown },
  ) {
    super(`the ${type} credentials cannot be verified now`, options);
    this.name = 'DestinationVerificationUnavailableError';
  }
}

/** Thrown when a destination's `type` has no registered provider. */
export class UnknownDestinationTypeError extends Error {
  constructor(readonly type: string) {
    super(`unknown destination type "${type}"`);
    this.name = 'UnknownDestinationTypeError';
  }
}

/**
 * Thrown by `registry.publish` once `close()` has begun. A shutdown is not a destination failure:
 * the caller must requeue (let the activity fail and be retried elsewhere), never record an attempt.
 */
export class RegistryClosedError extends Error {
  constructor() {
    super('destination registry is closed');
    this.name = 'RegistryClosedError';
  }
}

/** Thrown by a provider's `publish` after its `close()`; same meaning as {@link RegistryClosedError}. */
export class ProviderClosedError extends Error {
  constructor(readonly type: string) {
    super(`destination provider "${type}" is closed`);
    this.name = 'ProviderClosedError';
  }
}

/**
 * Thrown when the caller's signal aborted an attempt for a reason other than the per-attempt
 * timeout (activity cancelled, worker shutting down). Not an attempt: requeue.
 */
export class PublishAbortedError extends Error {
  constructor(override readonly cause: unknown) {
    super('delivery attempt aborted by the caller');
    this.name = 'PublishAbortedError';
  }
}
