import type { Config } from '../config/config.js';
import type { DestinationRepository } from '../db/destination-repository.js';
import { DestinationLimitError, DuplicateDestinationError, TenantNotFoundError } from '../db/errors.js';
import { DestinationValidationError, DestinationVerificationUnavailableError } from '../destinations/errors.js';
import type { DestinationRegistry } from '../destinations/registry.js';
import type { DestinationRole, PrepareInput, PreparedDestination } from '../destinations/types.js';
import { validateFilter } from '../domain/filter.js';
import { generateId } from '../domain/ids.js';
import { parseDestinationTopics } from '../domain/topics.js';
import type { Destination, StringMap } from '../domain/types.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.js';
import { DependencyUnavailableError } from './unavailable.js';

/** How long a create or update waits for a destination's own service to verify its credentials. */
export const VERIFY_TIMEOUT_MS = 10_000;
const VERIFY_RETRY_AFTER_SECONDS = 5;

export interface DestinationCreate {
  readonly id?: string | undefined;
  readonly type: string;
  readonly topics: unknown;
  readonly filter?: Record<string, unknown> | null | undefined;
  readonly config?: StringMap | undefined;
  readonly credentials?: StringMap | undefined;
  readonly deliveryMetadata?: StringMap | undefined;
  readonly metadata?: StringMap | undefined;
  readonly disabledAt?: Date | null | undefined;
  readonly createdAt?: Date | undefined;
  readonly updatedAt?: Date | undefined;
}

/** RFC 7396 on string maps: `null` deletes a key; omitted = unchanged; whole map `null` clears. */
export type MapPatch = Record<string, string | null> | null | undefined;

export interface DestinationPatch {
  readonly type?: string | undefined;
  readonly topics?: unknown;
  readonly filter?: Record<string, unknown> | null | undefined;
  readonly config?: MapPatch;
  readonly credentials?: MapPatch;
  readonly deliveryMetadata?: MapPatch;
  readonly metadata?: MapPatch;
  readonly disabledAt?: Date | null | undefined;
}

export function mergePatch(base: StringMap, patch: MapPatch): StringMap {
  if (patch === undefined) return base;
  if (patch === null) return {};
  const out: StringMap = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

function notInFuture(field: string, date: Date | null | undefined, now: Date, problems: string[]): void {
  if (date && date.getTime() > now.getTime() + 1000) problems.push(`${field} cannot be in the future`);
}

export function createDestinationService(deps: {
  config: Pick<Config, 'topics' | 'ids' | 'maxDestinationsPerTenant'>;
  destinations: Pick<DestinationRepository, 'create' | 'update'>;
  registry: Pick<DestinationRegistry, 'get'>;
}) {
  const { registry, destinations, config } = deps;

  function topicsOrThrow(input: unknown, problems: string[]): string[] {
    const parsed = parseDestinationTopics(input, config.topics);
    if ('errors' in parsed) problems.push(...parsed.errors);
    return 'topics' in parsed ? parsed.topics : [];
  }

  /** The provider's prepare, then its verify when it has one: refusals are 422s, an unreachable verifier a 503. */
  async function prepare(type: string, args: PrepareInput): Promise<PreparedDestination> {
    const provider = registry.get(type);
    if (!provider) throw new ValidationError(['type is invalid']);
    try {
      const prepared = provider.prepare(args);
      return provider.verify ? await provider.verify(prepared, args.existing, AbortSignal.timeout(VERIFY_TIMEOUT_MS)) : prepared;
    } catch (error) {
      if (error instanceof DestinationValidationError) throw new ValidationError(error.data);
      if (error instanceof DestinationVerificationUnavailableError) {
        throw new DependencyUnavailableError('destination_verification', VERIFY_RETRY_AFTER_SECONDS, error.message, { cause: error });
      }
      throw error;
    }
  }

  return {
    async create(tenantId: string, input: DestinationCreate, role: DestinationRole): Promise<Destination> {
      if (role !== 'admin' && (input.createdAt || input.updatedAt)) {
        throw new ForbiddenError('only an admin may set created_at or updated_at');
      }
      const now = new Date();
      const problems: string[] = [];
      const topics = topicsOrThrow(input.topics, problems);
      problems.push(...validateFilter(input.filter ?? null));
      notInFuture('disabled_at', input.disabledAt, now, problems);
      notInFuture('created_at', input.createdAt, now, problems);
      if (problems.length > 0) throw new ValidationError(problems);
      const prepared = await prepare(input.type, { config: input.config ?? {}, credentials: input.credentials ?? {}, role, now });
      try {
        return await destinations.create(
          {
            id: input.id ?? generateId(config.ids.type, config.ids.destinationPrefix),
            tenantId, type: input.type, topics, filter: input.filter ?? null,
            config: prepared.config, credentials: prepared.credentials,
            deliveryMetadata: input.deliveryMetadata ?? {}, metadata: input.metadata ?? {},
            disabledAt: input.disabledAt ?? null,
            createdAt: input.createdAt ?? now,
            updatedAt: input.updatedAt ?? input.createdAt ?? now,
          },
          { maxPerTenant: config.maxDestinationsPerTenant },
        );
      } catch (error) {
        if (error instanceof DuplicateDestinationError) throw new ConflictError(tenantId, 'destination already exists', { cause: error });
        if (error instanceof DestinationLimitError) {
          throw new ConflictError(tenantId, 'maximum number of destinations per tenant reached', { cause: error });
        }
        // The route checked the tenant, but it can be deleted between that check and this insert.
        if (error instanceof TenantNotFoundError) throw new NotFoundError('tenant', tenantId);
        throw error;
      }
    },

    async update(existing: Destination, patch: DestinationPatch, role: DestinationRole): Promise<Destination> {
      if (patch.type !== undefined && patch.type !== existing.type) throw new ValidationError(['type cannot be updated']);
      const now = new Date();
      const problems: string[] = [];
      const topics = patch.topics === undefined ? existing.topics : topicsOrThrow(patch.topics, problems);
      const filter = patch.filter === undefined ? existing.filter : patch.filter && Object.keys(patch.filter).length > 0 ? patch.filter : null;
      problems.push(...validateFilter(filter));
      notInFuture('disabled_at', patch.disabledAt, now, problems);
      if (problems.length > 0) throw new ValidationError(problems);
      const prepared = await prepare(existing.type, {
        config: mergePatch(existing.config, patch.config),
        credentials: mergePatch(existing.credentials, patch.credentials),
        role, existing, now,
      });
      const updated = await destinations.update(existing.tenantId, existing.id, {
        topics, filter, config: prepared.config, credentials: prepared.credentials,
        deliveryMetadata: mergePatch(existing.deliveryMetadata, patch.deliveryMetadata),
        metadata: mergePatch(existing.metadata, patch.metadata),
        disabledAt: patch.disabledAt === undefined ? existing.disabledAt : patch.disabledAt,
        updatedAt: now,
      });
      if (!updated) throw new NotFoundError('destination', existing.id);
      return updated;
    },
  };
}

export type DestinationService = ReturnType<typeof createDestinationService>;
