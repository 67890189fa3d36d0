/** Herald's own RabbitMQ node on loopback: private node name, ports, epmd, cookie and data directory. */
import { isProcessAlive } from '../../process/alive.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import amqp from 'amqplib';
import type { Logger } from '../../logger.js';
import {
  BrokerStartError, onPath, secondsSince, spawnBroker, stopBrokerProcess, tcpAccepts, waitUntilReady,
} from './broker-process.js';
import { freeLoopbackPort } from '../ports.js';
import { runInstallStep } from './install-step.js';
import { ensureRabbitMq } from './rabbitmq-install.js';

export interface RabbitMqOptions {
  /** Mnesia database, logs, cookie and config; reused by the next start on the same port or not. */
  readonly dataDir: string;
  /** AMQP port on 127.0.0.1. */
  readonly port: number;
  readonly logger: Logger;
  /** RABBITMQ_URL here skips starting a node. Defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly startTimeoutMs?: number;
}

export interface RunningRabbitMq {
  /** `amqp://guest:guest@127.0.0.1:<port>` (guest may log in over loopback), or RABBITMQ_URL. */
  readonly url: string;
  /** False when RABBITMQ_URL named an existing broker. */
  readonly started: boolean;
  /** The Erlang VM's pid (its helpers are its children), for per-process measurements; null when not started here. */
  readonly pid: number | null;
  stop(): Promise<void>;
}

/** Always the same, so the Mnesia directory is reused between runs whatever the ports. */
const NODE_NAME = 'herald@localhost';
/** Written at start: lets the next start end a node (and its epmd) left by a crashed run. */
const STATE_FILE = 'herald-node.json';

interface NodeState {
  readonly beamPid?: number;
  readonly epmdPort: number;
  /** The process that started the node (a test run, `herald start`). */
  readonly ownerPid: number;
}

/**
 * Starts a RabbitMQ node on 127.0.0.1:`port` (installing the Debian package once when missing)
 * and resolves once it accepts AMQP connections. Distribution and epmd use private free ports on
 * loopback, so the node never meets a system RabbitMQ. `stop` shuts it down and ends its epmd.
 */
export async function startRabbitMq(options: RabbitMqOptions): Promise<RunningRabbitMq> {
  const env = options.env ?? process.env;
  if (env.RABBITMQ_URL) return { url: env.RABBITMQ_URL, started: false, pid: null, stop: async () => undefined };
  const { dataDir, port, logger } = options;
  const started = Date.now();
  const installation = await ensureRabbitMq(logger, env);
  await endLeftoverNode(dataDir, logger);

  const [epmdPort = 0, distPort = 0] = await distinctFreePorts(2, port);
  const nodeEnv = prepareNode(dataDir, { port, epmdPort, distPort });
  const proc = spawnBroker(installation.serverScript, [], { env: nodeEnv, cwd: dataDir, logFile: join(dataDir, 'log', 'console.log') });
  const url = `amqp://guest:guest@127.0.0.1:${port}`;
  const stop = async () => {
    await stopBrokerProcess(proc, 20_000);
    await killEpmd(epmdPort);
  };
  let beamPid: number | undefined;
  try {
    writeFileSync(join(dataDir, STATE_FILE), JSON.stringify({ epmdPort, ownerPid: process.pid } satisfies NodeState));
    await waitUntilReady('RabbitMQ', proc, () => acceptsAmqp(url, port), options.startTimeoutMs ?? 180_000);
    beamPid = recordBeamPid(dataDir, epmdPort);
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info({ port, seconds: secondsSince(started) }, 'RabbitMQ node ready');
  let stopping: Promise<void> | undefined;
  return { url, started: true, pid: beamPid ?? null, stop: () => (stopping ??= stop()) };
}

function prepareNode(dataDir: string, ports: { port: number; epmdPort: number; distPort: number }): NodeJS.ProcessEnv {
  const home = join(dataDir, 'home');
  for (const dir of [home, join(dataDir, 'mnesia'), join(dataDir, 'log')]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(dataDir, 'rabbitmq-env.conf'), '# Herald sets everything through the environment.\n');
  writeFileSync(join(dataDir, 'enabled_plugins'), '[].\n');
  // Inherited RABBITMQ_*/ERL_* settings (e.g. a system node's) must not leak into ours.
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(RABBITMQ_|ERL_)/.test(key)));
  return {
    ...base,
    HOME: home, // the Erlang cookie lives here, private to this node
    RABBITMQ_CONF_ENV_FILE: join(dataDir, 'rabbitmq-env.conf'),
    RABBITMQ_CONFIG_FILE: join(dataDir, 'rabbitmq'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dataDir, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dataDir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(dataDir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dataDir, 'log'),
    RABBITMQ_PID_FILE: join(dataDir, 'rabbitmq.pid'),
    RABBITMQ_NODENAME: NODE_NAME,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(ports.port),
    RABBITMQ_DIST_PORT: String(ports.distPort),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    ERL_EPMD_PORT: String(ports.epmdPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
  };
}

async function distinctFreePorts(count: number, taken: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    const candidate = await freeLoopbackPort();
    if (candidate !== taken) ports.add(candidate);
  }
  return [...ports];
}

async function acceptsAmqp(url: string, port: number): Promise<boolean> {
  if (!(await tcpAccepts(port))) return false;
  try {
    const connection = await amqp.connect(url, { timeout: 2_000 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

/** The beam's pid, which RabbitMQ writes to RABBITMQ_PID_FILE early in its boot. */
function readPidFile(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'rabbitmq.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : Number.NaN;
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function recordBeamPid(dataDir: string, epmdPort: number): number | undefined {
  const beamPid = readPidFile(dataDir);
  writeFileSync(join(dataDir, STATE_FILE), JSON.stringify({ beamPid, epmdPort, ownerPid: process.pid } satisfies NodeState));
  return beamPid;
}

/**
 * Ends the node and epmd a killed earlier run left on this data directory (two nodes on one Mnesia
 * corrupt it). A node whose starter is still alive belongs to a concurrent run: that is an error.
 */
async function endLeftoverNode(dataDir: string, logger: Logger): Promise<void> {
  const file = join(dataDir, STATE_FILE);
  if (!existsSync(file)) return;
  let state: NodeState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as NodeState;
  } catch {
    return;
  }
  const pid = state.beamPid ?? readPidFile(dataDir);
  if (pid && isOurBeam(pid, dataDir) && state.ownerPid !== process.pid && isProcessAlive(state.ownerPid)) {
    throw new BrokerStartError('RabbitMQ', `data directory ${dataDir} is in use by the node (pid ${pid}) of a running process (pid ${state.ownerPid})`, '');
  }
  if (pid && isOurBeam(pid, dataDir)) {
    logger.warn({ pid, dataDir }, 'ending a RabbitMQ node left running by an earlier run');
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
    for (let i = 0; i < 50 && isOurBeam(pid, dataDir); i++) await new Promise((r) => setTimeout(r, 100));
  }
  await killEpmd(state.epmdPort);
}

function isOurBeam(pid: number, dataDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir);
  } catch {
    return false;
  }
}

/**
 * Our epmd outlives the node (it daemonises). It refuses `-kill` while it still lists a node, which
 * it does for a moment after the node died, so this retries for a few seconds.
 */
async function killEpmd(epmdPort: number): Promise<void> {
  const epmd = onPath('epmd') ?? '/usr/lib/erlang/bin/epmd';
  if (!existsSync(epmd)) return;
  for (let attempt = 0; attempt < 30 && (await tcpAccepts(epmdPort)); attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    await runInstallStep(epmd, ['-port', String(epmdPort), '-kill'], { timeoutMs: 10_000 }).catch(() => undefined);
  }
}
