import { describe, expect, it } from 'vitest';
import type { Attempt } from '../domain/types.js';
import type { DeliveryState } from '../../workflows/delivery-contract.js';
import { mergeAttempts } from './timeline-service.js';

const logged = (n: number, status: 'success' | 'failed'): Attempt => ({
  id: `att_${n}`, tenantId: 't', eventId: 'e', destinationId: 'd', destinationType: 'webhook', attemptNumber: n, manual: false,
  status, code: status === 'success' ? '200' : '500', responseData: null, time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)), exhaustedRetries: false,
});
const state = (attempts: DeliveryState['attempts']): DeliveryState => ({ status: 'retrying', attemptCount: attempts.length, nextRetryAt: null, attempts });

describe('mergeAttempts', () => {
  it('when the workflow knows only attempts the log has, then the log alone is the timeline', () => {
    const merged = mergeAttempts([logged(1, 'failed'), logged(2, 'success')], state([
      { attemptNumber: 2, attemptId: 'att_2', manual: false, status: 'success', code: '200', time: '2026-01-01T00:00:02.000Z' },
    ]));
    expect(merged.map((a) => [a.attemptNumber, a.attemptId, a.status])).toEqual([[1, 'att_1', 'failed'], [2, 'att_2', 'success']]);
  });

  it('when the workflow skipped an attempt the log never recorded, then the skip joins the timeline in order', () => {
    const merged = mergeAttempts([logged(1, 'failed')], state([
      { attemptNumber: 2, attemptId: null, manual: false, status: 'skipped', code: 'destination_disabled', time: '2026-01-01T00:00:05.000Z' },
    ]));
    expect(merged.map((a) => [a.attemptNumber, a.status])).toEqual([[1, 'failed'], [2, 'skipped']]);
  });

  it('when the workflow is gone, then the timeline is the log', () => {
    expect(mergeAttempts([logged(1, 'failed')], null)).toHaveLength(1);
  });
});
