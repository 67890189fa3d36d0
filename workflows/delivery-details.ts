/** What the delivery workflow shows in the Temporal Web UI: its current details and its summaries. Pure. */
import type { DeliverAttemptInput } from '../activities/index.js';
import type { DeliveryInput } from './delivery-contract.js';
import type { DeliveryProgress } from './delivery-state.js';

/** The summary of the timer that waits, once retries are exhausted, for a manual retry. */
export const MANUAL_RETRY_WAIT_SUMMARY = 'retries exhausted: waiting for a manual retry signal';

/** Markdown shown as the workflow's current details. */
export function renderDeliveryDetails(input: DeliveryInput, progress: DeliveryProgress): string {
  const lines = [
    `**${progress.status}** · ${input.topic || '(no topic)'} → ${input.destinationType} \`${input.target}\``,
    '',
    `tenant \`${input.tenantId}\` · event \`${input.eventId}\` · destination \`${input.destinationId}\``,
  ];
  if (progress.pendingRetryAt !== null) lines.push('', `next automatic retry at ${new Date(progress.pendingRetryAt).toISOString()}`);
  if (progress.recent.length > 0) {
    lines.push('', '| # | kind | status | code | time |', '|---|---|---|---|---|');
    for (const a of progress.recent) {
      lines.push(`| ${a.attemptNumber} | ${a.manual ? 'manual' : 'auto'} | ${a.status} | ${a.code} | ${a.time} |`);
    }
  }
  return lines.join('\n');
}

/** The attempt activity's summary, e.g. `manual attempt 3 → https://example.com/hook`. */
export function attemptSummary(attempt: DeliverAttemptInput, target: string): string {
  return `${attempt.manual ? 'manual ' : ''}attempt ${attempt.attemptNumber} → ${target}`;
}

/** The summary of the timer before the next automatic attempt, e.g. `retry 2 of 6`. */
export function retryTimerSummary(progress: DeliveryProgress, input: DeliveryInput): string {
  return `retry ${progress.attemptCount + 1} of ${input.retryDelaysSeconds.length + 1}`;
}
