import { setTimeout as sleep } from 'node:timers/promises';
import type { EventRepository } from '../db/event-repository.js';
import type { Logger } from '../logger.js';
import type { PublishService } from './publish-service.js';

/** Events taken per pass, and started at once within a pass. */
const BATCH = 100;
const CONCURRENCY = 16;
/** How long a taken event is hidden from the next pass (and from other workers). */
const HOLD_MS = 30_000;

export interface RedriveDeps {
  readonly events: Pick<EventRepository, 'claimUndispatched'>;
  readonly publish: Pick<PublishService, 'redrive'>;
  readonly logger: Logger;
  /** Events stored longer ago than this whose dispatch never completed are started. */
  readonly afterMs: number;
  /** Pause between passes (default: half of `afterMs`, at most 5 s). */
  readonly intervalMs?: number;
}

export interface Redrive {
  /** Resolves after the pass under way, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * An event stored is an event delivered: publish stores the event before it starts the delivery
 * workflows, so an API that lost Temporal (or crashed) between the two leaves the event stored but
 * undispatched. This loop, run by every worker, finds such events and starts their workflows;
 * starts are idempotent (the workflow id), so racing a late publish or another worker is harmless.
 */
export function startRedrive(deps: RedriveDeps): Redrive {
  const intervalMs = deps.intervalMs ?? Math.min(5_000, Math.max(250, deps.afterMs / 2));
  const stopping = new AbortController();
  let failing = false;

  /** One pass; returns how many events it took and how many it started. */
  async function pass(): Promise<{ taken: number; started: number }> {
    const events = await deps.events.claimUndispatched(deps.afterMs, BATCH, HOLD_MS);
    let started = 0;
    for (let i = 0; i < events.length; i += CONCURRENCY) {
      const results = await Promise.allSettled(events.slice(i, i + CONCURRENCY).map((event) => deps.publish.redrive(event)));
      for (const [index, result] of results.entries()) {
        if (result.status === 'fulfilled') started += 1;
        else deps.logger.warn({ err: result.reason, eventId: events[i + index]?.id }, 're-driving an event failed; it is tried again later');
      }
    }
    return { taken: events.length, started };
  }

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        const { taken, started } = await pass();
        if (started > 0) deps.logger.warn({ events: started }, 'started the deliveries of events that were stored but not dispatched');
        if (failing) deps.logger.info('re-drive of undispatched events works again');
        failing = false;
        if (taken === BATCH) continue; // a backlog: take the next batch at once
      } catch (error) {
        if (!failing) deps.logger.warn({ err: error }, 're-drive of undispatched events failed; retrying');
        failing = true;
      }
      await sleep(intervalMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();

  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
