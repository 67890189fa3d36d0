import { describe, expect, it } from 'vitest';
import { cpuMsPerDelivery, floorStackMs, heraldOwnMs, heraldStackMs } from './cpu.js';
import type { RoleUsage, Usage } from './resources.js';

const used = (cpu_s: number): RoleUsage => ({ cpu_s, cpu_cores: 0, peak_rss_mb: 0, end_rss_mb: 0 });

describe('cpuMsPerDelivery', () => {
  it('when roles were measured, then each gets CPU ms divided by deliveries, and unmeasured roles and the machine are left out', () => {
    const usage: Usage = {
      herald: used(1.5), temporal: used(2), postgres: used(0.25), bench: used(0.5), floor: 'unavailable',
      machine: { busy_cores: 1.9, other_cores: 0.1, cores: 2 },
    };
    expect(cpuMsPerDelivery(usage, 100)).toEqual({ herald: 15, temporal: 20, postgres: 2.5, bench: 5 });
  });

  it('when nothing was delivered, then there is no per-delivery figure', () => {
    expect(cpuMsPerDelivery({ herald: used(1) }, 0)).toEqual({});
  });
});

describe('stack sums', () => {
  it.each([
    ['when herald start ran, then Herald = herald + temporal + postgres', { herald: 15, temporal: 20, postgres: 2.5, bench: 5 }, 37.5, 15],
    ['when the split topology ran, then Herald = api + worker + temporal + postgres', { api: 4, worker: 11, temporal: 20, postgres: 2.5 }, 37.5, 15],
    ['when no Herald role was measured, then its own share is null', { temporal: 20 }, 20, null],
  ])('%s', (_name, cpu, stack, own) => {
    expect(heraldStackMs(cpu)).toBe(stack);
    expect(heraldOwnMs(cpu)).toBe(own);
  });

  it('when the floor ran, then its total is the floor process + temporal (Herald idling beside it is not counted)', () => {
    expect(floorStackMs({ floor: 8.5, temporal: 11.5, herald: 0.3, postgres: 0.1, bench: 4 })).toBe(20);
  });
});
