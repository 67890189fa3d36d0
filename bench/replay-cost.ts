/**
 * What the workflow code costs without a server: `npx tsx bench/replay-cost.ts [history.json]`
 * replays one recorded history (default: a one-attempt delivery, workflows/testdata) many times
 * through the SDK's replayer, once with the workflow bundle Herald's worker uses and once with the
 * modules evaluated per workflow (no `preloadModules`), in interleaved rounds, and prints the process
 * CPU per replayed history for each and the median of the per-round differences. Env: N (replays
 * per round, 400), ROUNDS (12). A machine-speed figure: compare the two sides, not runs.
 */
import { readFileSync } from 'node:fs';
import { Runtime, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { sharedWorkflowModules, workflowsPath } from '../src/temporal/worker.js';

const drop = () => undefined;
const silent = { log: drop, trace: drop, debug: drop, info: drop, warn: drop, error: drop };
Runtime.install({ logger: silent });

const arg = process.argv[2];
const asksHelp = arg === '--help' || arg === '-h';
if (asksHelp || process.argv.length > 3) {
  (asksHelp ? process.stdout : process.stderr).write(
    'Usage: npx tsx bench/replay-cost.ts [history.json]   (env N: replays per round, 400; ROUNDS: 12)\n',
  );
  process.exit(asksHelp ? 0 : 2);
}
const file = arg ?? new URL('../workflows/testdata/histories/skipped.json', import.meta.url).pathname;
const history: unknown = JSON.parse(readFileSync(file, 'utf8'));
const n = Number(process.env.N ?? 400);
const rounds = Number(process.env.ROUNDS ?? 12);

const bundles: Record<'shared' | 'per-workflow', WorkflowBundleWithSourceMap> = {
  shared: await bundleWorkflowCode({ workflowsPath, preloadModules: sharedWorkflowModules(workflowsPath), logger: silent }),
  'per-workflow': await bundleWorkflowCode({ workflowsPath, logger: silent }),
};

/** CPU ms of this process (main thread, workflow thread, core) per replayed history. */
async function round(kind: keyof typeof bundles): Promise<number> {
  async function* copies() {
    for (let i = 0; i < n; i++) yield { workflowId: `replay-${i}`, history };
  }
  const before = process.cpuUsage();
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundles[kind] }, copies())) {
    if (result.error) throw result.error;
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / n;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cost = { shared: [] as number[], 'per-workflow': [] as number[] };
const saved: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (const kind of r % 2 === 0 ? (['per-workflow', 'shared'] as const) : (['shared', 'per-workflow'] as const)) cost[kind].push(await round(kind));
  saved.push(cost['per-workflow'].at(-1)! - cost.shared.at(-1)!);
  process.stderr.write(`round ${r + 1}/${rounds}: per-workflow ${cost['per-workflow'].at(-1)!.toFixed(2)} ms, shared ${cost.shared.at(-1)!.toFixed(2)} ms\n`);
}
process.stdout.write(
  `${file}: ${n} replays × ${rounds} rounds\n` +
  `  modules evaluated per workflow: median ${median(cost['per-workflow']).toFixed(2)} ms CPU per history\n` +
  `  modules shared (Herald's worker): median ${median(cost.shared).toFixed(2)} ms\n` +
  `  saved per history, median of the rounds' differences: ${median(saved).toFixed(2)} ms (${saved.filter((s) => s > 0).length} of ${rounds} rounds lower)\n`,
);
