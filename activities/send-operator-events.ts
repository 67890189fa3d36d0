import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from '../src/logger.js';
import { SinkError, type OperatorEvent, type OperatorEventSink } from '../src/operator-events/types.js';

/** Sends at most this many events to the sink at once. */
const CONCURRENCY = 16;

/**
 * Sends a batch of operator events to the sink. Events already accepted are recorded in the
 * heartbeat, so a retry sends only the rest. Any failure fails the activity (the workflow's retry
 * policy decides between "until delivered" and "at most 3 attempts").
 */
export function createSendOperatorEvents(deps: { sink: OperatorEventSink | null; logger: Logger }) {
  return async function sendOperatorEvents(events: OperatorEvent[]): Promise<void> {
    const { sink } = deps;
    if (!sink) {
      deps.logger.warn({ count: events.length }, 'operator events received but no sink is configured: dropped');
      return;
    }
    const ctx = Context.current();
    const done = new Set<string>((ctx.info.heartbeatDetails as string[] | undefined) ?? []);
    const queue = events.filter((e) => !done.has(e.id));
    let failure: unknown;
    const worker = async () => {
      for (let e = queue.shift(); e; e = queue.shift()) {
        try {
          await sink.send(e, ctx.cancellationSignal);
          done.add(e.id);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
    ctx.heartbeat([...done]);
    if (failure) {
      const code = failure instanceof SinkError ? failure.code : 'sink_error';
      const reason = failure instanceof Error ? failure.message : 'unknown error';
      deps.logger.warn({ code, reason, sent: done.size, total: events.length }, 'operator event sink refused the batch');
      throw ApplicationFailure.create({ type: code, message: `operator event sink failed (${code})` });
    }
  };
}
