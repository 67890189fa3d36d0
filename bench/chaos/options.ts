import { num, pairs } from '../options.js';
import { parseArgs } from 'node:util';

/** Command-line options of `npm run chaos`; the defaults finish in about five minutes on 2 cores. */

export const SERVICE_KINDS = ['worker', 'api', 'temporal', 'postgres'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** One planned fault: at `atS` seconds after the load starts, kill -9 `kind`, start it again `downS` later. */
export interface FaultStep {
  readonly atS: number;
  readonly kind: ServiceKind;
  readonly downS: number;
}

export interface ChaosOptions {
  readonly events: number;
  readonly rate: number;
  /** Upper bound of the load window; the load ends at `events` or here, whichever comes first. */
  readonly durationS: number;
  readonly destinations: number;
  readonly retrySchedule: readonly number[];
  /** null: the default plan, one kill of each kind spread over the load window. */
  readonly plan: readonly FaultStep[] | null;
  readonly noisy: number;
  readonly failFirstFraction: number;
  readonly failRate: number;
  readonly receiverLatencyMs: number;
  readonly publishTimeoutS: number;
  readonly publishAttempts: number;
  readonly settleTimeoutS: number;
  readonly settleQuietS: number;
  readonly maxRecordedDuplicatesPct: number;
  readonly env: Readonly<Record<string, string>>;
  readonly dataDir: string | undefined;
  readonly out: string | undefined;
  readonly quiet: boolean;
}

export const HELP = `Usage: npm run chaos [-- options]

Brings up its own Herald (embedded Postgres, Temporal dev server on a SQLite file, \`herald api\` and
\`herald worker\` as separate processes, fresh state under .herald/chaos/), drives a bounded open-loop
load through the public API while it kill -9s processes on a plan, lets deliveries settle, then checks
the receiver's ledger against the attempt log and the event log. Prints a table and writes
bench/results/chaos-<time>.json. Exit code 1 when anything was missing, sent without an attempt row,
recorded differently from what the receiver answered, stored but never sent, or duplicated above the
threshold; 2 on a bad option; 130 when interrupted.

Load:
  --events N                        events to publish, each to every destination (1500)
  --rate R                          events/s, open loop (5)
  --duration S                      longest load window; the load ends at --events or here (120)
  --destinations N                  webhook destinations of the tenant, all on the topic (4)
  --retry-schedule LIST             RETRY_SCHEDULE of api and worker, seconds (1,2,4)
  --publish-timeout S               per publish request; a timed-out publish is retried (10)
  --publish-attempts N              tries per event (same event id) before the publisher gives up (10)

Faults:
  --plan LIST                       AT:KIND:DOWN,... e.g. 30:worker:5,60:api:5,90:temporal:5,120:postgres:5
                                    (kill -9 KIND at AT s after the load starts, start it again DOWN s
                                    later; kinds: worker, api, temporal, postgres; "none" for no kills).
                                    Default: each kind once, at 1/5, 2/5, 3/5 and 4/5 of the load
                                    window, down for 5 s
  --noisy N                         busy-loop processes beside the stack for the whole run (0)

Receiver:
  --fail-first-fraction F           share of (event, destination) pairs whose first request gets 500 (0.2)
  --fail-rate F                     share of any request answered 500, chosen by hash (0)
  --receiver-latency MS             delay before every answer (10)

Settling and verdict:
  --settle-timeout S                after the load and the plan, how long to wait for every
                                    expected delivery (120)
  --settle-quiet S                  once all are delivered, seconds without a new request before
                                    the logs are read (5)
  --max-recorded-duplicates-pct P   recorded duplicates allowed, % of expected pairs (0.1)

System:
  --env KEY=VALUE                   extra env for api and worker (repeatable)
  --data-dir DIR                    state and logs, wiped at start (.herald/chaos)
  --out FILE                        JSON path (bench/results/chaos-<time>.json)
  --quiet                           no progress lines
  -h, --help
`;

/** `AT:KIND:DOWN,...` in seconds; `none` is the empty plan. */
export function parsePlan(raw: string): FaultStep[] {
  if (raw.trim() === 'none') return [];
  return raw.split(',').map((item) => item.trim()).filter(Boolean).map((item) => {
    const [at, kind, down, ...rest] = item.split(':');
    if (rest.length > 0 || at === undefined || kind === undefined || down === undefined) {
      throw new Error(`--plan: expected AT:KIND:DOWN, got ${item}`);
    }
    if (!(SERVICE_KINDS as readonly string[]).includes(kind)) {
      throw new Error(`--plan: unknown kind ${kind} (${SERVICE_KINDS.join(', ')})`);
    }
    return { atS: num('plan', at, 0, 0), kind: kind as ServiceKind, downS: num('plan', down, 0, 0, 600) };
  }).sort((a, b) => a.atS - b.atS);
}

/** Seconds the load runs for: the events at the rate, capped by --duration. */
export function loadWindowS(options: Pick<ChaosOptions, 'events' | 'rate' | 'durationS'>): number {
  return Math.min(options.events / options.rate, options.durationS);
}

/** One kill of each kind, evenly inside the load window, so every restart happens under load. */
export function defaultPlan(windowS: number): FaultStep[] {
  return SERVICE_KINDS.map((kind, i) => ({ atS: Number(((windowS * (i + 1)) / 5).toFixed(1)), kind, downS: 5 }));
}

/** Parses argv; returns null for --help. Throws on a bad option (the message names it). */
export function parseOptions(argv: readonly string[]): ChaosOptions | null {
  const str = { type: 'string' } as const;
  const { values: v } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', short: 'h' }, quiet: { type: 'boolean' },
      events: str, rate: str, duration: str, destinations: str, 'retry-schedule': str,
      'publish-timeout': str, 'publish-attempts': str, plan: str, noisy: str,
      'fail-first-fraction': str, 'fail-rate': str, 'receiver-latency': str,
      'settle-timeout': str, 'settle-quiet': str, 'max-recorded-duplicates-pct': str,
      env: { type: 'string', multiple: true }, 'data-dir': str, out: str,
    },
  });
  if (v.help) return null;
  const retrySchedule = (v['retry-schedule'] ?? '1,2,4').split(',').map((x) => num('retry-schedule', x.trim(), 0, 1));
  return {
    events: num('events', v.events, 1500, 1, 1_000_000),
    rate: num('rate', v.rate, 5, 0.1, 1000),
    durationS: num('duration', v.duration, 120, 1),
    destinations: num('destinations', v.destinations, 4, 1, 20),
    retrySchedule,
    plan: v.plan === undefined ? null : parsePlan(v.plan),
    noisy: num('noisy', v.noisy, 0, 0, 64),
    failFirstFraction: num('fail-first-fraction', v['fail-first-fraction'], 0.2, 0, 1),
    failRate: num('fail-rate', v['fail-rate'], 0, 0, 0.9),
    receiverLatencyMs: num('receiver-latency', v['receiver-latency'], 10, 0, 60_000),
    publishTimeoutS: num('publish-timeout', v['publish-timeout'], 10, 0.1, 600),
    publishAttempts: num('publish-attempts', v['publish-attempts'], 10, 1, 100),
    settleTimeoutS: num('settle-timeout', v['settle-timeout'], 120, 1),
    settleQuietS: num('settle-quiet', v['settle-quiet'], 5, 0),
    maxRecordedDuplicatesPct: num('max-recorded-duplicates-pct', v['max-recorded-duplicates-pct'], 0.1, 0, 100),
    env: pairs('env', v.env),
    dataDir: v['data-dir'],
    out: v.out,
    quiet: v.quiet ?? false,
  };
}
