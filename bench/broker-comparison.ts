import { brokerStackMs, heraldOwnMs, heraldStackMs, ratio } from './cpu.js';
import type { ClosedStep } from './scenarios/closed-step.js';

/**
 * A broker destination beside a webhook at the same concurrency step of the same run: the rate
 * and what a delivery costs. A webhook's receiver is the bench itself, a broker is a process of
 * its own, so the broker's CPU is given both without (Herald, Temporal, Postgres: what the two
 * cost Herald's side alike) and with the broker. Ratios are broker ÷ webhook.
 */

export interface BrokerComparison {
  readonly concurrency: number;
  readonly webhook_deliveries_per_s: number;
  readonly broker_deliveries_per_s: number;
  readonly rate_ratio: number | null;
  /** Herald's processes + Temporal + Postgres, ms per delivery */
  readonly webhook_cpu_ms: number | null;
  readonly broker_cpu_ms: number | null;
  readonly cpu_ratio: number | null;
  /** Herald's own processes only, ms per delivery */
  readonly webhook_own_cpu_ms: number | null;
  readonly broker_own_cpu_ms: number | null;
  /** The broker's stack and the broker process itself, ms per delivery */
  readonly broker_with_broker_cpu_ms: number | null;
  readonly with_broker_cpu_ratio: number | null;
}

/** One row per concurrency both ran, in the broker's order. */
export function compareWithWebhook(webhook: readonly ClosedStep[], broker: readonly ClosedStep[]): BrokerComparison[] {
  return broker.flatMap((b) => {
    const w = webhook.find((s) => s.concurrency === b.concurrency);
    if (!w) return [];
    const webhookCpu = heraldStackMs(w.cpu_ms_per_delivery);
    const brokerCpu = heraldStackMs(b.cpu_ms_per_delivery);
    const withBroker = brokerStackMs(b.cpu_ms_per_delivery);
    return [{
      concurrency: b.concurrency,
      webhook_deliveries_per_s: w.deliveries_per_s,
      broker_deliveries_per_s: b.deliveries_per_s,
      rate_ratio: ratio(b.deliveries_per_s, w.deliveries_per_s),
      webhook_cpu_ms: webhookCpu,
      broker_cpu_ms: brokerCpu,
      cpu_ratio: ratio(brokerCpu, webhookCpu),
      webhook_own_cpu_ms: heraldOwnMs(w.cpu_ms_per_delivery),
      broker_own_cpu_ms: heraldOwnMs(b.cpu_ms_per_delivery),
      broker_with_broker_cpu_ms: withBroker,
      with_broker_cpu_ratio: ratio(withBroker, webhookCpu),
    }];
  });
}
