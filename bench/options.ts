import { parseArgs } from 'node:util';
import { TEMPORAL_CHOICES, type TemporalChoice } from './temporal-choice.js';

/** Command-line options of `npm run bench`; every default is chosen to finish in < 5 min on 2 cores. */

/**
 * In run order: the floor and rabbitmq right after saturation, at its steps, so all three see the
 * same server in about the same state; the backlog after the others (it restarts Herald); the
 * metrics queries last, so the million attempts they load weigh on no other scenario.
 */
export const SCENARIOS = ['saturation', 'floor', 'rabbitmq', 'latency', 'fanout', 'retries', 'backlog', 'metrics'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
const LETTERS: Record<string, ScenarioName> = { a: 'saturation', f: 'floor', r: 'rabbitmq', b: 'latency', c: 'fanout', d: 'retries', e: 'backlog', m: 'metrics' };

export interface BenchOptions {
  readonly scenarios: readonly ScenarioName[];
  readonly stepDurationS: number;
  /** Herald-and-floor pairs run at each goal step (16, 64) when a and f run together; 1 = one pair per step */
  readonly floorPairs: number;
  readonly concurrencySteps: readonly number[];
  readonly baselineDurationS: number;
  readonly durationS: number;
  readonly rate: number | null;
  readonly latencyFractions: readonly number[];
  readonly fanout: number;
  readonly fanoutConcurrency: number | null;
  readonly retryRate: number;
  readonly retrySchedule: readonly number[];
  readonly retryFailAttempts: number;
  readonly retryFailFraction: number;
  /** null: about 45 s of a's sustained rate, between 200 and 2 000 (1 000 without a) */
  readonly backlog: number | null;
  readonly backlogRetrySeconds: number;
  readonly backlogConcurrency: number;
  readonly backlogPublishOnly: boolean;
  /** Attempts scenario m loads, and how often it runs each query. */
  readonly metricsAttempts: number;
  readonly metricsRepeats: number;
  readonly receiverLatencyMs: number;
  readonly receiverFailureRate: number;
  readonly payloadBytes: number;
  readonly drainTimeoutS: number;
  readonly apiUrl: string | undefined;
  readonly apiKey: string | undefined;
  readonly databaseUrl: string | undefined;
  readonly temporalAddress: string | undefined;
  readonly taskQueue: string | undefined;
  readonly env: Readonly<Record<string, string>>;
  readonly temporalConfig: Readonly<Record<string, string | number | boolean>>;
  readonly temporal: TemporalChoice;
  readonly temporalDb: 'file' | 'memory';
  readonly temporalMetrics: string | undefined;
  /** The broker of scenario r; undefined: the bench starts its own node (only when r runs). */
  readonly rabbitmqUrl: string | undefined;
  readonly cpuProf: boolean;
  /** `herald api` + `herald worker` as two processes instead of `herald start` (the default). */
  readonly split: boolean;
  readonly out: string | undefined;
  readonly dataDir: string | undefined;
  readonly quiet: boolean;
}

export const HELP = `Usage: npm run bench [-- options]

Brings up its own Herald (embedded Postgres, Temporal dev server, \`herald start\`, fresh state
under .herald/bench/), a receiver on 127.0.0.1, and drives load through the public API only.
Prints progress, then a table; writes bench/results/<time>.json.
Exit code 1 when any scenario lost a delivery (or failed to run).

Scenarios (--scenarios a,f,r,b,c,d,e,m or names, run in that order; default a,f,b,c,d,e: r and m
only when asked for; f is left out of the default with --api unless --temporal-address says where
its Temporal is):
  a saturation  closed-loop concurrency ramp (publish → delivered) beside a raw undici baseline
  f floor       the same ramp with a bare Temporal workflow (one local activity, same POST) started
                by a minimal process: Temporal's own cost, beside Herald's; with a, the two ramps
                alternate step by step, so both see the machine in the same state
  r rabbitmq    the same ramp with a rabbitmq destination instead of a webhook (a RabbitMQ node
                the bench starts, consumed by the bench), beside a's figures
  b latency     open loop at fractions of a's rate: publish and delivery p50/p99
  c fanout      1 event → N destinations
  d retries     receiver fails the first attempts of half the events; retry lateness vs schedule
  e backlog     N deliveries parked on long retry timers; worker memory before/after
  m metrics     a month of attempts loaded straight into Postgres, then the metrics API's
                representative queries timed through HTTP against a 500 ms budget

Load:
  --step-duration S         seconds per saturation step (4)
  --max-concurrency N       last saturation step (64); steps double from 1
  --concurrency-steps LIST  explicit steps, e.g. 8,16,32
  --floor-pairs N           with a and f: Herald's step and the floor's, back to back, N times at
                            c=16 and c=64; the ratios judged are the pairs' medians (3)
  --baseline-duration S     seconds of the raw baseline per step (1.5)
  --duration S              seconds per latency / fan-out / retry run (12)
  --rate R                  deliveries/s that b's fractions apply to when a is not run (50)
  --latency-fractions LIST  fractions of the saturation rate for b (0.5,0.8)
  --fanout N                destinations per event in c (5)
  --fanout-concurrency N    events in flight in c (default: a's best concurrency / N, at least 2)
  --retry-rate R            events/s in d (10)
  --retry-schedule LIST     RETRY_SCHEDULE seconds used by a-d (1,2,4)
  --retry-fail-attempts N   failed attempts before success for the flaky events in d (2)
  --retry-fail-fraction F   share of flaky events in d (0.5)
  --backlog N               deliveries parked in e (default: ~45 s worth of a's rate, 200-2000;
                            100000 is the target size)
  --backlog-retry-seconds S retry delay while parked (3600)
  --backlog-concurrency N   clients filling the backlog, each waiting for its first attempt (32)
  --backlog-publish-only    fill without waiting for first attempts (floods Temporal with starts)
  --metrics-attempts N      attempts m loads (1000000; about 90 s on 2 cores), deleted afterwards
  --metrics-repeats N       timed runs of each query in m, after one untimed (9)
  --receiver-latency MS     receiver response delay (0)
  --receiver-failure-rate F random 500s in a-c (0)
  --payload-bytes N         approximate event data size (200)
  --drain-timeout S         after the load, how long without any new arrival before outstanding
                            deliveries count as missing (60)

System under test:
  --api URL                 use an existing deployment (no resources, no restarts; declare its
                            schedule with --retry-schedule, and give it a long one for e)
  --api-key KEY             admin bearer key (also set as API_KEY on the bench's own API)
  --database-url URL        use this Postgres instead of the embedded one
  --temporal-address H:P    use this Temporal (namespace herald) instead of a dev server
  --task-queue NAME         TEMPORAL_TASK_QUEUE for the bench's api and worker
  --env KEY=VALUE           extra env for api and worker (repeatable), e.g. WORKER_MAX_CONCURRENT_ACTIVITIES=400
  --temporal dev|server-sqlite|server-postgres
                            the bench's Temporal: the CLI dev server (1 shard, SQLite; like npm start),
                            or the real server 1.29.1, all services in one process, with 4 shards on
                            SQLite or 8 on Postgres (databases temporal, temporal_visibility in the
                            bench's Postgres); built once into ~/.cache/herald/bin (about 9 min) (dev)
  --temporal-config K=V     Temporal dynamic config (repeatable), e.g. system.enableEagerWorkflowStart=true
  --temporal-db file|memory dev-server SQLite on disk like npm start, or in memory (file)
  --temporal-metrics URL    Temporal's Prometheus endpoint (found by itself for the bench's dev server)
  --rabbitmq-url URL        r's broker (amqp://user:pass@host:port[/vhost]) instead of a node of the
                            bench's own; required for r with --api (the deployment must reach it)
  --cpu-prof                run Herald's processes with --cpu-prof; the report lists their hottest functions
  --split                   run \`herald api\` and \`herald worker\` as two processes (the production
                            topology, no eager start) instead of \`herald start\` (one process, shown as herald)
  --single-process          deprecated, the default now: accepted and ignored

Output:
  --out FILE                JSON path (bench/results/<time>.json)
  --data-dir DIR            state and logs (.herald/bench)
  --quiet                   no progress lines
  -h, --help
`;

export function num(name: string, raw: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`--${name}: expected a number in [${min}, ${max}], got ${raw}`);
  return value;
}

function numList(name: string, raw: string | undefined, fallback: readonly number[], min = 0): readonly number[] {
  if (raw === undefined) return fallback;
  const list = raw.split(',').map((x) => num(name, x.trim(), 0, min));
  if (list.length === 0) throw new Error(`--${name}: empty list`);
  return list;
}

export function pairs(name: string, raw: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of raw ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`--${name}: expected KEY=VALUE, got ${item}`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function doublingSteps(max: number): number[] {
  const steps: number[] = [];
  for (let c = 1; c < max; c *= 2) steps.push(c);
  steps.push(max);
  return steps;
}

/** Parses argv; returns null for --help. Throws on a bad option (the message names it). */
export function parseOptions(argv: readonly string[]): BenchOptions | null {
  const str = { type: 'string' } as const;
  const { values: v } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', short: 'h' }, quiet: { type: 'boolean' }, 'cpu-prof': { type: 'boolean' },
      'backlog-publish-only': { type: 'boolean' }, 'single-process': { type: 'boolean' }, split: { type: 'boolean' },
      scenarios: str, 'step-duration': str, 'floor-pairs': str, 'max-concurrency': str, 'concurrency-steps': str, 'baseline-duration': str,
      duration: str, rate: str, 'latency-fractions': str, fanout: str, 'fanout-concurrency': str,
      'retry-rate': str, 'retry-schedule': str, 'retry-fail-attempts': str, 'retry-fail-fraction': str,
      backlog: str, 'backlog-retry-seconds': str, 'backlog-concurrency': str,
      'metrics-attempts': str, 'metrics-repeats': str, 'receiver-latency': str, 'receiver-failure-rate': str, 'payload-bytes': str, 'drain-timeout': str,
      api: str, 'api-key': str, 'database-url': str, 'temporal-address': str, 'task-queue': str,
      env: { type: 'string', multiple: true }, 'temporal-config': { type: 'string', multiple: true },
      temporal: str, 'temporal-db': str, 'temporal-metrics': str, 'rabbitmq-url': str, out: str, 'data-dir': str,
    },
  });
  if (v.help) return null;
  // The floor needs the Temporal server itself: an external deployment runs it only when told where.
  const defaultScenarios = v.api !== undefined && v['temporal-address'] === undefined ? 'a,b,c,d,e' : 'a,f,b,c,d,e';
  const scenarios = (v.scenarios ?? defaultScenarios).split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const name = LETTERS[s] ?? (SCENARIOS as readonly string[]).find((n) => n === s);
    if (!name) throw new Error(`--scenarios: unknown scenario ${s} (a-f, r, m or ${SCENARIOS.join(', ')})`);
    return name as ScenarioName;
  });
  if (scenarios.includes('rabbitmq') && v.api !== undefined && v['rabbitmq-url'] === undefined) {
    throw new Error('--scenarios r with --api needs --rabbitmq-url: a broker on this machine\'s loopback is out of the deployment\'s reach');
  }
  if (scenarios.includes('metrics') && v.api !== undefined && v['database-url'] === undefined) {
    throw new Error('--scenarios m with --api needs --database-url: it loads its attempts straight into the deployment\'s Postgres');
  }
  if (v.split && v['single-process']) throw new Error('--split and --single-process contradict each other');
  const maxConcurrency = num('max-concurrency', v['max-concurrency'], 64, 1, 4096);
  const temporalDb = v['temporal-db'] ?? 'file';
  if (temporalDb !== 'file' && temporalDb !== 'memory') throw new Error('--temporal-db: file or memory');
  const temporal = (v.temporal ?? 'dev') as TemporalChoice;
  if (!TEMPORAL_CHOICES.includes(temporal)) throw new Error(`--temporal: one of ${TEMPORAL_CHOICES.join(', ')}`);
  if (temporal !== 'dev' && v['temporal-db'] !== undefined) throw new Error('--temporal-db applies to the dev server only');
  if (temporal !== 'dev' && (v['temporal-address'] !== undefined || v.api !== undefined)) {
    throw new Error('--temporal starts a server of the bench\'s own; it cannot go with --temporal-address or --api');
  }
  const temporalConfig = Object.fromEntries(
    Object.entries(pairs('temporal-config', v['temporal-config'])).map(([k, raw]) => {
      try {
        return [k, JSON.parse(raw) as string | number | boolean];
      } catch {
        return [k, raw];
      }
    }),
  );
  return {
    scenarios: SCENARIOS.filter((s) => scenarios.includes(s)),
    stepDurationS: num('step-duration', v['step-duration'], 4, 0.5),
    floorPairs: Math.round(num('floor-pairs', v['floor-pairs'], 3, 1, 20)),
    concurrencySteps: numList('concurrency-steps', v['concurrency-steps'], doublingSteps(maxConcurrency), 1),
    baselineDurationS: num('baseline-duration', v['baseline-duration'], 1.5, 0),
    durationS: num('duration', v.duration, 12, 0.5),
    rate: v.rate === undefined ? null : num('rate', v.rate, 50, 0.1),
    latencyFractions: numList('latency-fractions', v['latency-fractions'], [0.5, 0.8], 0.01),
    fanout: num('fanout', v.fanout, 5, 1, 1000),
    fanoutConcurrency: v['fanout-concurrency'] === undefined ? null : num('fanout-concurrency', v['fanout-concurrency'], 2, 1),
    retryRate: num('retry-rate', v['retry-rate'], 10, 0.1),
    retrySchedule: numList('retry-schedule', v['retry-schedule'], [1, 2, 4], 1),
    retryFailAttempts: num('retry-fail-attempts', v['retry-fail-attempts'], 2, 0),
    retryFailFraction: num('retry-fail-fraction', v['retry-fail-fraction'], 0.5, 0, 1),
    backlog: v.backlog === undefined ? null : num('backlog', v.backlog, 2000, 1),
    backlogRetrySeconds: num('backlog-retry-seconds', v['backlog-retry-seconds'], 3600, 1),
    backlogConcurrency: num('backlog-concurrency', v['backlog-concurrency'], 32, 1),
    backlogPublishOnly: v['backlog-publish-only'] ?? false,
    metricsAttempts: num('metrics-attempts', v['metrics-attempts'], 1_000_000, 1, 100_000_000),
    metricsRepeats: num('metrics-repeats', v['metrics-repeats'], 9, 1, 1000),
    receiverLatencyMs: num('receiver-latency', v['receiver-latency'], 0, 0),
    receiverFailureRate: num('receiver-failure-rate', v['receiver-failure-rate'], 0, 0, 1),
    payloadBytes: num('payload-bytes', v['payload-bytes'], 200, 0),
    drainTimeoutS: num('drain-timeout', v['drain-timeout'], 60, 1),
    apiUrl: v.api,
    apiKey: v['api-key'],
    databaseUrl: v['database-url'],
    temporalAddress: v['temporal-address'],
    taskQueue: v['task-queue'],
    env: pairs('env', v.env),
    temporalConfig,
    temporal,
    temporalDb,
    temporalMetrics: v['temporal-metrics'],
    rabbitmqUrl: v['rabbitmq-url'],
    cpuProf: v['cpu-prof'] ?? false,
    split: v.split ?? false,
    out: v.out,
    dataDir: v['data-dir'],
    quiet: v.quiet ?? false,
  };
}
