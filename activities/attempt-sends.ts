/**
 * The send ledger: every request Herald puts on the wire is one attempt row, written before the
 * send (`sending`) and completed after it, and never rewritten. An execution of an attempt that
 * finds its attempt number already sent and recorded returns that record instead of sending again
 * (a local activity re-run after a lost workflow task, an activity retried after its result was
 * lost). One that finds a send still under way waits for it; one that finds a send whose claimant
 * is gone (its lease ran out) marks it `interrupted` and sends again as the next send of the same
 * attempt number, so the only duplicates left are visible as two rows.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { INTERRUPTED_CODE, type AttemptRepository, type SendClaim, type SendRecord } from '../src/db/attempt-repository.js';
import { attemptId } from '../src/domain/ids.js';
import type { Attempt, EventRecord } from '../src/domain/types.js';
import type { Logger } from '../src/logger.js';

/** How often a waiting execution looks at a send another process is still making. */
const POLL_MS = 250;
/** How long recording an outcome is retried (Postgres restarting, a connection dropped) before the activity fails. */
const RECORD_PATIENCE_MS = 20_000;

/** Which attempt of which delivery: the workflow id plus the fields its rows carry. */
export type AttemptRef = Pick<Attempt, 'tenantId' | 'eventId' | 'destinationId' | 'destinationType' | 'attemptNumber' | 'manual'> & {
  readonly workflowId: string;
};

/** What the ledger found for an attempt: a recorded outcome to return, or a send that is ours to make. */
export type SendResolution = { readonly kind: 'recorded'; readonly attempt: Attempt } | { readonly kind: 'claimed'; readonly claim: SendClaim };

export interface SendLedgerDeps {
  readonly attempts: AttemptRepository;
  readonly logger: Logger;
  /**
   * How long a claimant may be sending: the per-attempt timeout plus room for a slow process. Past
   * it, another execution presumes the claimant gone.
   */
  readonly leaseMs: number;
  /** This process, as recorded in `claimed_by` (default: host, pid and a random suffix). */
  readonly claimant?: string;
}

export function createSendLedger(deps: SendLedgerDeps) {
  const claimant = deps.claimant ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  /** Outcomes this process sent but could not record yet (Postgres away): recorded by the next execution. */
  const unrecorded = new Map<string, Attempt>();

  const claimFor = (ref: AttemptRef, sendSeq: number): SendClaim => ({
    id: attemptId(ref.workflowId, ref.attemptNumber, sendSeq),
    tenantId: ref.tenantId,
    eventId: ref.eventId,
    destinationId: ref.destinationId,
    destinationType: ref.destinationType,
    attemptNumber: ref.attemptNumber,
    sendSeq,
    manual: ref.manual,
    leaseMs: deps.leaseMs,
    claimedBy: claimant,
  });

  /** The recorded outcome of the attempt, if one of its sends has one that is not an interruption. */
  const recordedOf = (sends: readonly SendRecord[]): Attempt | undefined =>
    sends.findLast((send) => send.attempt !== null && send.attempt.code !== INTERRUPTED_CODE)?.attempt ?? undefined;

  /** After the first claim lost a race: look at the earlier sends until the attempt is recorded or ours. */
  async function settle(ref: AttemptRef): Promise<SendResolution> {
    for (;;) {
      const sends = await deps.attempts.sendsOf(ref.tenantId, ref.eventId, ref.destinationId, ref.attemptNumber);
      const recorded = recordedOf(sends);
      if (recorded) return { kind: 'recorded', attempt: recorded };
      const last = sends.at(-1);
      if (last?.sending) {
        const mine = unrecorded.get(last.id);
        if (mine) {
          await record(mine);
          return { kind: 'recorded', attempt: mine };
        }
        // Nobody in this process is sending it (the in-process join found nothing): the send died here.
        const ours = last.claimedBy === claimant;
        if (!ours && last.leaseRemainingMs > 0) {
          await sleep(Math.min(POLL_MS, Math.max(10, last.leaseRemainingMs)));
          continue;
        }
        if (await deps.attempts.markInterrupted(last.id, { force: ours })) {
          deps.logger.warn({ attemptId: last.id, ...ref }, 'a send was interrupted before its outcome was recorded; sending again');
        }
        continue;
      }
      const claim = claimFor(ref, (last?.sendSeq ?? 0) + 1);
      if (await deps.attempts.claimSend(claim)) return { kind: 'claimed', claim };
    }
  }

  /** Writes an outcome, retrying while Postgres is away; on giving up keeps it for the next execution. */
  async function record(attempt: Attempt): Promise<void> {
    const deadline = Date.now() + RECORD_PATIENCE_MS;
    for (let wait = 100; ; wait = Math.min(wait * 2, 2_000)) {
      try {
        await deps.attempts.completeSend(attempt);
        unrecorded.delete(attempt.id);
        return;
      } catch (error) {
        if (Date.now() + wait > deadline) {
          unrecorded.set(attempt.id, attempt);
          throw error;
        }
        deps.logger.warn({ err: error, attemptId: attempt.id }, 'recording an attempt failed; retrying');
        await sleep(wait);
      }
    }
  }

  return {
    /**
     * The first send's claim, tried optimistically (the common case: nothing was sent yet), and the
     * attempted event, read in the same round trip.
     */
    claimFirst: async (ref: AttemptRef): Promise<{ claim: SendClaim | null; event: EventRecord | null }> => {
      const claim = claimFor(ref, 1);
      const { claimed, event } = await deps.attempts.claimSendReadingEvent(claim);
      return { claim: claimed ? claim : null, event };
    },
    settle,
    record,
    /** A claim whose send never went out (destination disabled or deleted): no attempt. */
    release: (claim: SendClaim) => deps.attempts.releaseClaim(claim.id),
    /** A send that may have gone out but whose outcome is unknown (aborted by shutdown). */
    interrupt: (claim: SendClaim) => deps.attempts.markInterrupted(claim.id, { force: true }),
  };
}

export type SendLedger = ReturnType<typeof createSendLedger>;
