import type { DeliveryInput, DeliveryState } from './delivery-contract.js';

/** Markdown shown as the workflow's current details in the Temporal Web UI. Pure. */
export function renderDeliveryDetails(input: DeliveryInput, state: DeliveryState): string {
  const lines = [
    `**${state.status}** · ${input.topic || '(no topic)'} → ${input.destinationType} \`${input.target}\``,
    '',
    `tenant \`${input.tenantId}\` · event \`${input.eventId}\` · destination \`${input.destinationId}\``,
  ];
  if (state.nextRetryAt) lines.push('', `next automatic retry at ${state.nextRetryAt}`);
  if (state.attempts.length > 0) {
    lines.push('', '| # | kind | status | code | time |', '|---|---|---|---|---|');
    for (const a of state.attempts) {
      lines.push(`| ${a.attemptNumber} | ${a.manual ? 'manual' : 'auto'} | ${a.status} | ${a.code} | ${a.time} |`);
    }
  }
  return lines.join('\n');
}
