import type { Role, Usage } from './resources.js';

/**
 * CPU milliseconds per delivery, per process role, and the sums the report compares. Herald's
 * stack is its own processes (`herald`, or `api` + `worker`) plus Temporal and Postgres; the
 * floor's is the floor process plus Temporal. The bench process (receiver and load generator) is
 * in neither: it is the harness, the same for both.
 */

export type CpuPerDelivery = Partial<Record<Role, number>>;

/** Herald's own processes, whichever topology ran. */
export const HERALD_ROLES: readonly Role[] = ['herald', 'api', 'worker'];
const HERALD_STACK: readonly Role[] = [...HERALD_ROLES, 'temporal', 'postgres'];
const FLOOR_STACK: readonly Role[] = ['floor', 'temporal'];

/** Per measured role: CPU ms / deliveries (roles not measured are left out; empty when nothing was delivered). */
export function cpuMsPerDelivery(usage: Usage, delivered: number): CpuPerDelivery {
  const out: CpuPerDelivery = {};
  if (delivered <= 0) return out;
  for (const [role, u] of Object.entries(usage)) {
    if (role === 'machine' || !u || u === 'unavailable' || !('cpu_s' in u)) continue;
    out[role as Role] = Number(((u.cpu_s * 1000) / delivered).toFixed(2));
  }
  return out;
}

/** Per threaded role: CPU ms / deliveries of each thread role (see `threadRoles`); empty when nothing was delivered. */
export function threadMsPerDelivery(usage: Usage, delivered: number): Partial<Record<Role, Record<string, number>>> {
  const out: Partial<Record<Role, Record<string, number>>> = {};
  if (delivered <= 0) return out;
  for (const [role, u] of Object.entries(usage)) {
    if (role === 'machine' || !u || u === 'unavailable' || !('threads' in u) || !u.threads) continue;
    out[role as Role] = Object.fromEntries(Object.entries(u.threads).map(([t, s]) => [t, Number(((s * 1000) / delivered).toFixed(2))]));
  }
  return out;
}

function sum(cpu: CpuPerDelivery, roles: readonly Role[]): number | null {
  const present = roles.filter((r) => cpu[r] !== undefined);
  return present.length === 0 ? null : Number(present.reduce((a, r) => a + cpu[r]!, 0).toFixed(2));
}

/** Herald's processes + Temporal + Postgres; null when none was measured. */
export const heraldStackMs = (cpu: CpuPerDelivery): number | null => sum(cpu, HERALD_STACK);

/** Herald's own processes only: what a deployment pays per delivery on its own machines. */
export const heraldOwnMs = (cpu: CpuPerDelivery): number | null => sum(cpu, HERALD_ROLES);

/** Herald's stack + the broker it publishes to: what a broker delivery costs in all. */
export const brokerStackMs = (cpu: CpuPerDelivery): number | null => sum(cpu, [...HERALD_STACK, 'rabbitmq']);

/** The floor process + Temporal. */
export const floorStackMs = (cpu: CpuPerDelivery): number | null => sum(cpu, FLOOR_STACK);

/** a ÷ b to three decimals; null when either is unknown or b is not positive. */
export const ratio = (a: number | null, b: number | null): number | null =>
  a === null || b === null || b <= 0 ? null : Number((a / b).toFixed(3));
