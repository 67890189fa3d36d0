import type { Config } from '../config/config.js';
import type { DestinationCache } from '../db/destination-cache.js';
import type { EventRepository } from '../db/event-repository.js';
import type { DestinationRegistry } from '../destinations/registry.js';
import { generateId } from '../domain/ids.js';
import { checkPublishTopic } from '../domain/topics.js';
import type { Destination, EventRecord, StringMap } from '../domain/types.js';
import type { DeliveryClient, StartReservation } from '../temporal/delivery-client.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import { createDeliveryTargets, matches } from './delivery-targets.js';
import type { DispatchMarks } from './dispatch-marks.js';
import { ValidationError } from './errors.js';
import { DependencyUnavailableError } from './unavailable.js';

export interface PublishInput {
  readonly id?: string | undefined;
  readonly tenantId: string;
  readonly destinationId?: string | undefined;
  readonly topic?: string | undefined;
  readonly eligibleForRetry: boolean;
  readonly time?: Date | undefined;
  readonly metadata: StringMap;
  readonly data: Record<string, unknown>;
}

export interface PublishResult {
  readonly id: string;
  readonly duplicate: boolean;
  readonly destinationIds: string[];
}

export interface PublishDeps {
  readonly config: Pick<Config, 'topics' | 'ids'>;
  readonly destinationCache: DestinationCache;
  readonly events: EventRepository;
  readonly dispatchMarks: DispatchMarks;
  readonly registry: DestinationRegistry;
  readonly deliveries: DeliveryClient;
  readonly telemetry: Pick<Telemetry, 'eventPublished'>;
}

/**
 * Publish: match, store the event, start one delivery workflow per match, then answer.
 * The event row is written before any workflow starts and marked dispatched (in a batch, see
 * dispatch-marks) after all started, so an event whose starts did not all happen (Temporal
 * unreachable, the API crashed) is started later by the worker's re-drive, or by a publisher
 * retrying with the same id; the workflow id makes each start idempotent, so neither ever
 * delivers twice.
 *
 * Load is shed, not queued: when the delivery client has no room for the event's starts, or a dependency
 * is slow or down, publish throws DependencyUnavailableError (503 with Retry-After); an event it
 * has no room for is refused before it is stored.
 */
const atCapacity = () =>
  new DependencyUnavailableError('capacity', 1, 'too many deliveries are being started right now; try again shortly');

export function createPublishService(deps: PublishDeps) {
  const deliveryTarget = createDeliveryTargets(deps.registry);

  async function dispatch(event: EventRecord, destinations: Destination[], reservation?: StartReservation): Promise<void> {
    await Promise.all(destinations.map((d) => deps.deliveries.start(deliveryTarget(event, d), reservation)));
    deps.dispatchMarks.mark(event.tenantId, event.id);
  }

  async function publish(input: PublishInput): Promise<PublishResult> {
    const topicProblem = checkPublishTopic(input.topic, deps.config.topics);
    if (topicProblem) throw new ValidationError([topicProblem]);
    // Refused before any database work while the starts already under way fill the bound: under
    // overload the answer must come at once, not after queueing for Postgres.
    if (!deps.deliveries.hasCapacity(1)) throw atCapacity();

    const id = input.id ?? generateId(deps.config.ids.type, deps.config.ids.eventPrefix);
    const candidate = {
      id, topic: input.topic ?? '', time: input.time ?? new Date(), metadata: input.metadata, data: input.data,
    };
    const enabled = await deps.destinationCache.enabledOf(input.tenantId);
    const matched = enabled.filter(
      (d) => (input.destinationId === undefined || d.id === input.destinationId) && matches(d, candidate),
    );
    if (matched.length === 0) {
      deps.telemetry.eventPublished(candidate.topic, 0);
      return { id, duplicate: false, destinationIds: [] };
    }
    const reservation = deps.deliveries.reserve(matched.length);
    if (!reservation) {
      throw atCapacity();
    }
    try {
      return await store(input, candidate, matched, enabled, reservation);
    } finally {
      reservation.release();
    }
  }

  async function store(
    input: PublishInput, candidate: Pick<EventRecord, 'id' | 'topic' | 'time' | 'metadata' | 'data'>,
    matched: Destination[], enabled: Destination[], reservation: StartReservation,
  ): Promise<PublishResult> {
    const { id } = candidate;
    const { event, inserted } = await deps.events.insertIfAbsent({
      ...candidate,
      tenantId: input.tenantId,
      eligibleForRetry: input.eligibleForRetry,
      destinationId: input.destinationId ?? null,
      matchedDestinationIds: matched.map((d) => d.id),
    });
    if (!inserted && event.dispatchedAt) {
      return { id, duplicate: true, destinationIds: event.matchedDestinationIds };
    }
    if (inserted) deps.telemetry.eventPublished(candidate.topic, matched.length);
    // First publish, or a re-publish after a crash between storing and dispatching.
    const toStart = inserted ? matched : await storedDestinations(event, enabled);
    await dispatch(event, toStart, reservation);
    return { id, duplicate: !inserted, destinationIds: event.matchedDestinationIds };
  }

  /** Starts the deliveries of a stored event whose dispatch never completed (the worker's re-drive). */
  async function redrive(event: EventRecord): Promise<void> {
    await dispatch(event, await storedDestinations(event, []));
  }

  async function storedDestinations(event: EventRecord, enabled: Destination[]): Promise<Destination[]> {
    const found = await Promise.all(
      event.matchedDestinationIds.map(
        async (destId) => enabled.find((d) => d.id === destId) ?? (await deps.destinationCache.find(event.tenantId, destId)),
      ),
    );
    return found.filter((d): d is Destination => d !== null);
  }

  /** Throws what publish would throw when it has no room for a start: lets the API refuse before reading the body. */
  function admit(): void {
    if (!deps.deliveries.hasCapacity(1)) throw atCapacity();
  }

  return Object.assign(publish, { redrive, admit });
}

export type PublishService = ReturnType<typeof createPublishService>;
