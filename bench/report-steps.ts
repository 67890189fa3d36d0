import { heraldStackMs } from './cpu.js';
import type { Role } from './resources.js';
import type { ClosedStep } from './scenarios/closed-step.js';
import type { EagerStarts } from './temporal-metrics.js';
import { table } from './table.js';

/** The per-step tables of the terminal report: CPU per delivery per process, eager starts. */

/** `100 % (812/812)`; `n/a` without Temporal's metrics; `–` without starts. */
export function eagerCell(e: EagerStarts | null): string {
  if (e === null) return 'n/a';
  if (e.ratio === null) return '–';
  const eager = e.requested - e.denied;
  return `${(e.ratio * 100).toFixed(1)} % (${eager}/${e.starts}${e.denied > 0 ? `, ${e.denied} denied` : ''})`;
}

/** One row per step: CPU ms per delivery of each role, Herald's stack total, eager starts. */
export function renderStepCpu(steps: readonly ClosedStep[], roles: readonly Role[]): string {
  return table(
    ['concurrency', 'delivered', ...roles, 'total', 'eager'],
    steps.map((st) => [st.concurrency, st.delivered, ...roles.map((role) => st.cpu_ms_per_delivery[role]), heraldStackMs(st.cpu_ms_per_delivery), eagerCell(st.eager)]),
  );
}
