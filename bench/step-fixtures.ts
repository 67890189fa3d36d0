import type { ClosedStep } from './scenarios/closed-step.js';
import type { SaturationStep } from './scenarios/saturation.js';
import { summarize } from './stats.js';

/** Closed-loop steps for the report's unit tests: a rate, CPU per delivery by role, a delivery p99. */

export function closedStep(concurrency: number, rate: number, cpu: ClosedStep['cpu_ms_per_delivery'], p99 = 100): ClosedStep {
  return {
    concurrency, deliveries_per_s: rate, delivered: rate * 8, publish_ms: summarize([5]), delivery_ms: summarize([p99 / 2, p99]),
    bench_loop_p99_ms: 0, cores: {}, cpu_ms_per_delivery: cpu, eager: null,
  };
}

export function saturationStep(concurrency: number, rate: number, cpu: ClosedStep['cpu_ms_per_delivery'], p99 = 100): SaturationStep {
  const baseline = { concurrency, duration_s: 1.5, requests_per_s: 5000, latency_ms: summarize([1]), errors: 0 };
  return { ...closedStep(concurrency, rate, cpu, p99), baseline, ratio: rate / 5000 };
}
