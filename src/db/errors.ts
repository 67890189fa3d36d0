/** Typed errors raised by the data layer. The API maps them to the contract's status codes. */

/** Thrown by `destinations.create` when the tenant already has a non-deleted destination with this id. */
export class DuplicateDestinationError extends Error {
  override readonly name = 'DuplicateDestinationError';

  constructor(
    readonly tenantId: string,
    readonly destinationId: string,
  ) {
    super(`destination ${destinationId} already exists for tenant ${tenantId}`);
  }
}

/** Thrown by `destinations.create` when the tenant already has `limit` non-deleted destinations. */
export class DestinationLimitError extends Error {
  override readonly name = 'DestinationLimitError';

  constructor(
    readonly tenantId: string,
    readonly limit: number,
  ) {
    super(`tenant ${tenantId} has reached the maximum of ${limit} destinations`);
  }
}

/** Thrown by writes that need a live tenant (e.g. `destinations.create`) when it is missing or soft-deleted. */
export class TenantNotFoundError extends Error {
  override readonly name = 'TenantNotFoundError';

  constructor(readonly tenantId: string) {
    super(`tenant ${tenantId} does not exist`);
  }
}

/** Thrown when a pagination cursor is garbage, belongs to another resource or version, or both `next` and `prev` are given. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';

  constructor(
    readonly resource: string,
    readonly reason: string,
  ) {
    super(`invalid ${resource} cursor: ${reason}`);
  }
}

/** Thrown by `assertMigrated` when the database lacks migrations this build ships; run `herald migrate`. */
export class PendingMigrationsError extends Error {
  override readonly name = 'PendingMigrationsError';

  constructor(readonly pending: readonly string[]) {
    super(`database schema is not up to date; pending migrations: ${pending.join(', ')} (run \`herald migrate\`)`);
  }
}
