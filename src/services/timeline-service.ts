import type { AttemptRepository } from '../db/attempt-repository.js';
import type { DestinationRepository } from '../db/destination-repository.js';
import type { EventRepository } from '../db/event-repository.js';
import type { Attempt } from '../domain/types.js';
import type { DeliveryState, DeliveryStatus } from '../../workflows/delivery-contract.js';
import { NotFoundError } from './errors.js';

/** One step of a delivery's timeline: a recorded attempt, or one the workflow knows of (a skip). */
export interface TimelineAttempt {
  readonly attemptNumber: number;
  readonly attemptId: string | null;
  readonly status: 'success' | 'failed' | 'skipped';
  readonly code: string;
  readonly manual: boolean;
  readonly time: string;
}

/**
 * Everything known of one event's delivery to one destination. `source` says where the status and
 * next retry came from: the live delivery workflow, or (once Temporal no longer keeps the run) the
 * attempt log alone, which knows no next retry.
 */
export interface DeliveryTimeline {
  readonly tenantId: string;
  readonly eventId: string;
  readonly destinationId: string;
  readonly status: DeliveryStatus;
  readonly source: 'workflow' | 'attempt_log';
  readonly nextAttemptAt: string | null;
  readonly attempts: readonly TimelineAttempt[];
}

export interface TimelineDeps {
  readonly events: Pick<EventRepository, 'get'>;
  readonly destinations: Pick<DestinationRepository, 'get'>;
  readonly attempts: Pick<AttemptRepository, 'list'>;
  /** The delivery workflow's `attempts` query; null when the run is gone or cannot be asked now. */
  readonly deliveryState: (tenantId: string, eventId: string, destinationId: string) => Promise<DeliveryState | null>;
}

/** More attempts than any retry schedule plus manual retries makes in practice. */
const MAX_LOGGED_ATTEMPTS = 1000;

function fromLog(a: Attempt): TimelineAttempt {
  return {
    attemptNumber: a.attemptNumber, attemptId: a.id, status: a.status, code: a.code, manual: a.manual, time: a.time.toISOString(),
  };
}

/** The status the attempt log alone implies: the workflow is gone, so no automatic retry follows. */
function statusFromLog(logged: readonly Attempt[]): DeliveryStatus {
  if (logged.some((a) => a.status === 'success')) return 'delivered';
  return logged.length > 0 ? 'exhausted' : 'pending';
}

/**
 * Merges the log (every recorded send) with the workflow's recent attempts: a workflow step whose
 * attempt id the log lacks (a skip, or a send whose record is still being written) is added.
 */
export function mergeAttempts(logged: readonly Attempt[], state: DeliveryState | null): TimelineAttempt[] {
  const merged = logged.map(fromLog);
  const ids = new Set(merged.map((a) => a.attemptId));
  for (const s of state?.attempts ?? []) {
    if (s.attemptId !== null && ids.has(s.attemptId)) continue;
    if (s.attemptId === null && merged.some((a) => a.attemptNumber === s.attemptNumber)) continue;
    merged.push({ attemptNumber: s.attemptNumber, attemptId: s.attemptId, status: s.status, code: s.code, manual: s.manual, time: s.time });
  }
  return merged.sort((a, b) => a.attemptNumber - b.attemptNumber || a.time.localeCompare(b.time));
}

/** The delivery timeline of an event to a destination of the tenant. */
export function createTimelineService(deps: TimelineDeps) {
  return async function timeline(input: { tenantId: string; destinationId: string; eventId: string }): Promise<DeliveryTimeline> {
    const { tenantId, destinationId, eventId } = input;
    const [destination, event] = await Promise.all([deps.destinations.get(tenantId, destinationId), deps.events.get(tenantId, eventId)]);
    if (!destination) throw new NotFoundError('destination', destinationId);
    if (!event) throw new NotFoundError('event', eventId);
    const [page, state] = await Promise.all([
      deps.attempts.list({ tenantIds: [tenantId], eventIds: [eventId], destinationIds: [destinationId], limit: MAX_LOGGED_ATTEMPTS, dir: 'asc' }),
      deps.deliveryState(tenantId, eventId, destinationId),
    ]);
    const attempts = mergeAttempts(page.models, state);
    if (!state && attempts.length === 0 && !event.matchedDestinationIds.includes(destinationId)) {
      throw new NotFoundError('event', eventId);
    }
    return {
      tenantId, eventId, destinationId,
      status: state?.status ?? statusFromLog(page.models),
      source: state ? 'workflow' : 'attempt_log',
      nextAttemptAt: state?.nextRetryAt ?? null,
      attempts,
    };
  };
}

export type TimelineService = ReturnType<typeof createTimelineService>;
