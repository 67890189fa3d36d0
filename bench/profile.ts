import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Summary of a V8 `.cpuprofile` (from `--cpu-prof`): self time by function and by where the code
 * lives (Herald's own files, a node_modules package, Node internals, GC). Enough to see where an
 * API or worker process spends its CPU without opening DevTools; open the file there for more.
 * Also runnable alone: `npx tsx bench/profile.ts <file.cpuprofile>…`.
 */

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface ProfileSummary {
  readonly file: string;
  /** `<role>-<generation> main` or `… thread <n>` (Node writes one profile per thread) */
  readonly label: string;
  readonly duration_s: number;
  /** Share of samples not idle */
  readonly busy_pct: number;
  /** Self time share of busy samples, by code location */
  readonly by_area: readonly { area: string; pct: number }[];
  readonly top_functions: readonly { fn: string; pct: number }[];
}

function area(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)' || fn === '(idle)' || fn === '(root)') return fn;
  if (!url) return 'native/builtin';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/(src|activities|workflows)\/(.*)$/.exec(url);
  if (own) return `herald ${own[1]}/${own[2]!.split('/')[0]}`;
  return 'other';
}

/** `skipMs`: ignore the first part of the profile (start-up: module loading, bundling, warm-up). */
export function summarizeProfile(file: string, label = file, skipMs = 0, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= skipMs * 1000) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  let busy = 0;
  let total = 0;
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const a = area(url, functionName);
    areas.set(a, (areas.get(a) ?? 0) + us);
    const where = url ? `${url.replace(/^.*\/(node_modules\/|src\/|activities\/|workflows\/)/, '$1')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const pct = (us: number) => Number(((100 * us) / Math.max(1, busy)).toFixed(1));
  const ranked = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    file,
    label,
    duration_s: Number(((profile.endTime - profile.startTime) / 1e6 - skipMs / 1000).toFixed(1)),
    busy_pct: Number(((100 * busy) / Math.max(1, total)).toFixed(1)),
    by_area: ranked(areas).map(([a, us]) => ({ area: a, pct: pct(us) })),
    top_functions: ranked(fns).map(([fn, us]) => ({ fn, pct: pct(us) })),
  };
}

/**
 * Every profile under `dir`, which holds one directory per process (`<role>-<generation>`), each
 * with Node's default names `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`: thread 0 is the
 * main thread; others are worker threads (the tsx loader, Temporal's workflow thread).
 */
export function summarizeProfiles(dir: string, skipMsOf: (proc: string) => number = () => 0): ProfileSummary[] {
  const out: ProfileSummary[] = [];
  const list = (d: string) => {
    try {
      return readdirSync(d).sort();
    } catch {
      return [];
    }
  };
  for (const proc of list(dir)) {
    for (const file of list(join(dir, proc)).filter((f) => f.endsWith('.cpuprofile'))) {
      const thread = file.split('.').at(-3);
      out.push(summarizeProfile(join(dir, proc, file), `${proc} ${thread === '0' ? 'main' : `thread ${thread}`}`, skipMsOf(proc)));
    }
  }
  return out;
}

if (process.argv[1]?.endsWith('profile.ts')) {
  for (const file of process.argv.slice(2)) console.log(JSON.stringify(summarizeProfile(file), null, 2));
}
