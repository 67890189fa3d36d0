import type { Findings } from './analysis.js';

/**
 * What fails a chaos run. Missing, unrecorded, disagreeing and stored-but-unsent are broken
 * promises at any count. A recorded duplicate (the log shows the second send) is what
 * at-least-once delivery costs after a crash, so it fails only above a share of the pairs.
 * Requests the receiver cannot attribute and accepted events absent from the event log mean
 * the ledger cannot be trusted or an accepted event was lost from the log; both fail too.
 */
export function verdictReasons(findings: Findings, maxRecordedDuplicatesPct: number): string[] {
  const { delivery, duplicates, attempt_log: log, event_log: events } = findings;
  const reasons: string[] = [];
  const add = (count: number, text: string) => {
    if (count > 0) reasons.push(`${count} ${text}`);
  };
  add(delivery.missing_pairs, 'expected deliveries missing (accepted, never answered 2xx)');
  add(log.unrecorded_requests, 'requests reached the receiver without an attempt row of their own');
  add(duplicates.unrecorded, 'duplicated pairs with an unrecorded send');
  add(log.disagreeing_rows, 'attempt rows disagree with what the receiver answered');
  add(events.stored_unsent_pairs, `event+destination pairs stored in the event log but never sent (${events.stored_unsent_events} events)`);
  add(events.accepted_not_listed, 'accepted events absent from GET /events');
  add(delivery.unattributable_requests, 'receiver requests without a known destination path or event id');
  if (duplicates.recorded_pct > maxRecordedDuplicatesPct) {
    reasons.push(`recorded duplicates ${duplicates.recorded_pct} % of pairs > ${maxRecordedDuplicatesPct} %`);
  }
  if (delivery.expected_pairs === 0) reasons.push('no delivery was expected: nothing was accepted');
  return reasons;
}
