import { describe, expect, it } from 'vitest';
import { combineUsage, type RoleUsage } from './resources.js';

const used = (cpu_s: number, peak: number, end: number, threads?: Record<string, number>): RoleUsage =>
  ({ cpu_s, cpu_cores: 0, peak_rss_mb: peak, end_rss_mb: end, ...(threads ? { threads } : {}) });

describe('combineUsage', () => {
  it('when two windows are combined, then CPU and wall time add up, peaks are the highest and the final RSS is the last', () => {
    const combined = combineUsage([
      { wall_s: 4, usage: { herald: used(3, 500, 480, { main: 1.5, 'node worker': 1 }), machine: { busy_cores: 1.8, other_cores: 0.1, cores: 2 } } },
      { wall_s: 6, usage: { herald: used(4.5, 450, 470, { main: 2, tokio: 0.5 }), machine: { busy_cores: 1.3, other_cores: 0.2, cores: 2 } } },
    ]);
    expect(combined.herald).toEqual({
      cpu_s: 7.5, cpu_cores: 0.75, peak_rss_mb: 500, end_rss_mb: 470, threads: { main: 3.5, 'node worker': 1, tokio: 0.5 },
    });
    expect(combined.machine).toEqual({ busy_cores: 1.5, other_cores: 0.16, cores: 2 });
  });

  it('when a role was measured in one window only, then its cores are over the whole time and it is not unavailable', () => {
    const combined = combineUsage([
      { wall_s: 5, usage: { floor: 'unavailable' } },
      { wall_s: 5, usage: { floor: used(2, 300, 300) } },
    ]);
    expect(combined.floor).toMatchObject({ cpu_s: 2, cpu_cores: 0.2 });
  });

  it('when a role was unavailable in every window, then it stays unavailable', () => {
    expect(combineUsage([{ wall_s: 1, usage: { rabbitmq: 'unavailable' } }]).rabbitmq).toBe('unavailable');
  });
});
