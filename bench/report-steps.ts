import type { BrokerComparison } from './broker-comparison.js';
import { brokerStackMs, floorStackMs, heraldStackMs } from './cpu.js';
import type { FloorComparison } from './floor-comparison.js';
import type { Role } from './resources.js';
import type { ClosedStep } from './scenarios/closed-step.js';
import type { FloorDetails } from './scenarios/floor.js';
import type { EagerStarts } from './temporal-metrics.js';
import { fmt, table } from './table.js';

/**
 * The per-step tables of the terminal report: CPU per delivery per process, eager starts, the
 * floor beside Herald, a broker destination beside a webhook.
 */

/** `100 % (812/812)`; `n/a` without Temporal's metrics; `–` without starts. */
export function eagerCell(e: EagerStarts | null): string {
  if (e === null) return 'n/a';
  if (e.ratio === null) return '–';
  const eager = e.requested - e.denied;
  return `${(e.ratio * 100).toFixed(1)} % (${eager}/${e.starts}${e.denied > 0 ? `, ${e.denied} denied` : ''})`;
}

const pct = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(2)} %`);

/** One row per step: CPU ms per delivery of each role, the stack total (`herald` or `floor` sum), eager starts. */
export function renderStepCpu(steps: readonly ClosedStep[], roles: readonly Role[], total: 'herald' | 'floor'): string {
  const sum = total === 'herald' ? heraldStackMs : floorStackMs;
  return table(
    ['concurrency', 'delivered', ...roles, 'total', 'eager'],
    steps.map((st) => [st.concurrency, st.delivered, ...roles.map((role) => st.cpu_ms_per_delivery[role]), sum(st.cpu_ms_per_delivery), eagerCell(st.eager)]),
  );
}

export function renderFloor(floor: FloorDetails, comparison: readonly FloorComparison[]): string[] {
  const out = [
    'f) Floor — a bare workflow (one local activity, the same undici POST) started through the floor process\'s POST /start, same steps as a; ms',
    table(
      ['concurrency', 'workflows/s', 'start→arrival p50', 'p99', 'start p50', 'p99', 'CPU ms/wf floor', 'temporal', 'total', 'bench', 'eager'],
      floor.steps.map((st) => [st.concurrency, st.deliveries_per_s, st.delivery_ms.p50, st.delivery_ms.p99, st.publish_ms.p50, st.publish_ms.p99,
        st.cpu_ms_per_delivery.floor, st.cpu_ms_per_delivery.temporal, floorStackMs(st.cpu_ms_per_delivery), st.cpu_ms_per_delivery.bench, eagerCell(st.eager)]),
    ),
    `  the SDK reported ${floor.client_eager.eager} of ${floor.client_eager.starts} starts as eagerly started`,
  ];
  if (comparison.length > 0) {
    out.push('', 'Herald ÷ floor per step (CPU ms per delivery: Herald = its processes + temporal + postgres; floor = floor + temporal), beside the raw-HTTP baseline');
    out.push(table(
      ['concurrency', 'herald deliv/s', 'floor wf/s', 'rate ÷', 'herald CPU', 'floor CPU', 'CPU ÷', 'herald own CPU', 'baseline req/s', 'herald/baseline', 'floor/baseline'],
      comparison.map((c) => {
        const ofBaseline = (x: number) => (c.baseline_requests_per_s ? x / c.baseline_requests_per_s : null);
        return [c.concurrency, c.herald_deliveries_per_s, c.floor_workflows_per_s, fmt(c.rate_ratio, 2), c.herald_cpu_ms, c.floor_cpu_ms, fmt(c.cpu_ratio, 2),
          c.herald_own_cpu_ms, c.baseline_requests_per_s, pct(ofBaseline(c.herald_deliveries_per_s)), pct(ofBaseline(c.floor_workflows_per_s))];
      }),
    ));
    for (const c of comparison) {
      if (!c.pairs) continue;
      const list = (xs: readonly (number | null)[]) => xs.map((x) => fmt(x, 2)).join(' ');
      out.push(`  c=${c.concurrency}, ${c.pairs.cpu_ratios.length} pairs back to back (the row above is the first): CPU ÷ ${list(c.pairs.cpu_ratios)}, ` +
        `median ${fmt(c.pairs.cpu_ratio_median, 2)}; rate ÷ ${list(c.pairs.rate_ratios)}, median ${fmt(c.pairs.rate_ratio_median, 2)} (the targets judge the medians)`);
    }
    out.push('', 'The busiest threads, CPU ms per delivery: main = the event loop (API, activities, the SDK\'s worker pipeline), workflow = the SDK\'s workflow thread');
    out.push(table(
      ['concurrency', 'herald main', 'floor main', 'main ÷', 'herald workflow', 'floor workflow', 'workflow ÷'],
      comparison.map((c) => {
        const t = c.threads;
        const div = (a: number | null, b: number | null) => (a === null || b === null || b <= 0 ? null : a / b);
        return [c.concurrency, t.herald_main, t.floor_main, fmt(div(t.herald_main, t.floor_main), 2),
          t.herald_workflow, t.floor_workflow, fmt(div(t.herald_workflow, t.floor_workflow), 2)];
      }),
    ));
  }
  return out;
}

/**
 * r beside a: per step, the webhook's row then the broker's, each with CPU ms per delivery per
 * process; then broker ÷ webhook. The broker idles through a, so its column is the broker's only.
 */
export function renderBroker(
  broker: readonly ClosedStep[], webhook: readonly ClosedStep[], comparison: readonly BrokerComparison[], heraldRoles: readonly Role[],
): string[] {
  const roles: readonly Role[] = [...heraldRoles, 'temporal', 'postgres', 'rabbitmq', 'bench'];
  const row = (type: 'webhook' | 'rabbitmq', st: ClosedStep) => {
    const cpu = type === 'webhook' ? { ...st.cpu_ms_per_delivery, rabbitmq: undefined } : st.cpu_ms_per_delivery;
    return [st.concurrency, type, st.deliveries_per_s, st.delivery_ms.p50, st.delivery_ms.p99,
      ...roles.map((role) => cpu[role]), heraldStackMs(cpu), brokerStackMs(cpu), eagerCell(st.eager)];
  };
  const rows = broker.flatMap((b) => {
    const w = webhook.find((s) => s.concurrency === b.concurrency);
    return w ? [row('webhook', w), row('rabbitmq', b)] : [row('rabbitmq', b)];
  });
  const out = [
    `r) RabbitMQ — the closed loop of a with a rabbitmq destination (publish → consumed by the bench), beside a's webhook at the same step; deliveries/s, latency ms, then CPU ms per delivery per process (stack = ${[...heraldRoles, 'temporal', 'postgres'].join(' + ')}; all = stack + rabbitmq)`,
    table(['concurrency', 'destination', 'deliv/s', 'deliv p50', 'p99', ...roles, 'stack', 'all', 'eager'], rows, 'll'),
  ];
  if (comparison.length > 0) {
    out.push('', 'rabbitmq ÷ webhook per step (CPU ms per delivery; own = Herald\'s processes only)');
    out.push(table(
      ['concurrency', 'rate ÷', 'stack CPU webhook', 'rabbitmq', 'CPU ÷', 'own webhook', 'rabbitmq', 'all CPU rabbitmq', 'all ÷ webhook stack'],
      comparison.map((c) => [c.concurrency, fmt(c.rate_ratio, 2), c.webhook_cpu_ms, c.broker_cpu_ms, fmt(c.cpu_ratio, 2),
        c.webhook_own_cpu_ms, c.broker_own_cpu_ms, c.broker_with_broker_cpu_ms, fmt(c.with_broker_cpu_ratio, 2)]),
    ));
  }
  return out;
}
