/**
 * Errors the services throw when a request cannot be carried out. They say what went wrong in the
 * domain's terms and know nothing of HTTP: the API's error handler alone chooses each one's status.
 * An error's `message` is the text the caller is shown, so it is chosen deliberately.
 */

/** Thrown when the input breaks rules a schema cannot check; `problems` reads `<field> <rule>`, one per problem. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';

  constructor(readonly problems: readonly string[]) {
    super('validation error');
  }
}

/** Thrown when a resource the request names does not exist for the caller (or is out of its scope). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';

  constructor(
    readonly resource: 'tenant' | 'event' | 'destination',
    readonly id: string,
  ) {
    super(`${resource} not found`);
  }
}

/** Thrown when the caller's role may not do what it asks, e.g. a tenant setting `created_at`. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';

  constructor(readonly reason: string) {
    super('forbidden');
  }
}

/**
 * Thrown when a write clashes with what is stored: the destination id is taken, or the tenant
 * already has its maximum of destinations. `cause` is the data layer's error with the detail.
 */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';

  constructor(
    readonly tenantId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type RetryRefusal = 'destination_disabled' | 'destination_mismatch';

const REFUSAL_MESSAGES: Record<RetryRefusal, string> = {
  destination_disabled: 'Destination is disabled',
  destination_mismatch: 'destination does not match event',
};

/**
 * Thrown by a manual retry the destination's state refuses: it is disabled, or it no longer
 * matches the event (its topics or filter changed since the event was published).
 */
export class RetryRefusedError extends Error {
  override readonly name = 'RetryRefusedError';

  constructor(
    readonly reason: RetryRefusal,
    readonly eventId: string,
    readonly destinationId: string,
  ) {
    super(REFUSAL_MESSAGES[reason]);
  }
}
