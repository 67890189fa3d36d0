import type { EventRepository } from '../db/event-repository.js';
import type { Logger } from '../logger.js';

/**
 * Marks events dispatched (all their deliveries started) in batches: one UPDATE for the marks of
 * every publish that finished within `delayMs` (250 ms) of each other, instead of a round trip per publish,
 * and off the publish's own path. Losing a mark is harmless: an event left undispatched is
 * re-driven by a worker later, and re-starting a delivery that exists does nothing (its workflow
 * id is the idempotency key). So a failed batch is only logged.
 */
export interface DispatchMarks {
  mark(tenantId: string, id: string): void;
  /** Writes every mark queued so far. */
  flush(): Promise<void>;
}

export function createDispatchMarks(deps: {
  readonly events: Pick<EventRepository, 'markDispatchedMany'>;
  readonly logger: Logger;
  readonly delayMs?: number;
  readonly maxBatch?: number;
}): DispatchMarks {
  const delayMs = deps.delayMs ?? 250;
  const maxBatch = deps.maxBatch ?? 1_000;
  let queued: { tenantId: string; id: string }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const write = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const batch = queued;
    queued = [];
    if (batch.length === 0) return writing;
    // One batch at a time, so marks never pile up as concurrent statements.
    writing = writing.then(async () => {
      for (let i = 0; i < batch.length; i += maxBatch) {
        try {
          await deps.events.markDispatchedMany(batch.slice(i, i + maxBatch));
        } catch (error) {
          deps.logger.warn({ err: error, events: batch.length - i }, 'marking events dispatched failed; workers will re-drive them');
        }
      }
    });
    return writing;
  };

  return {
    mark(tenantId, id) {
      queued.push({ tenantId, id });
      if (queued.length >= maxBatch) void write();
      else if (!timer) {
        timer = setTimeout(() => void write(), delayMs);
        timer.unref();
      }
    },
    flush: write,
  };
}
