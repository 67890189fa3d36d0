import { describe, expect, it } from 'vitest';
import { compareWithWebhook } from './broker-comparison.js';
import { closedStep } from './step-fixtures.js';

describe('compareWithWebhook', () => {
  it('when both ran a step, then the row divides the broker by the webhook, with and without the broker process', () => {
    const webhook = [closedStep(16, 50, { herald: 16, temporal: 18, postgres: 2, rabbitmq: 0.1, bench: 5 })];
    const broker = [closedStep(16, 40, { herald: 12, temporal: 18, postgres: 2, rabbitmq: 4, bench: 3 })];
    expect(compareWithWebhook(webhook, broker)).toEqual([{
      concurrency: 16, webhook_deliveries_per_s: 50, broker_deliveries_per_s: 40, rate_ratio: 0.8,
      webhook_cpu_ms: 36, broker_cpu_ms: 32, cpu_ratio: 0.889, webhook_own_cpu_ms: 16, broker_own_cpu_ms: 12,
      broker_with_broker_cpu_ms: 36, with_broker_cpu_ratio: 1,
    }]);
  });

  it('when a step ran on one side only, then it has no row', () => {
    const broker = [closedStep(4, 20, { herald: 10 }), closedStep(16, 40, { herald: 12 })];
    expect(compareWithWebhook([closedStep(16, 50, { herald: 16 })], broker).map((r) => r.concurrency)).toEqual([16]);
  });

  it('when the webhook delivered nothing, then the ratios are null rather than infinite', () => {
    const [row] = compareWithWebhook([closedStep(1, 0, {})], [closedStep(1, 5, { herald: 10 })]);
    expect(row).toMatchObject({ rate_ratio: null, cpu_ratio: null, webhook_cpu_ms: null });
  });
});
