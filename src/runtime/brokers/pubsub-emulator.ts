/** The Pub/Sub emulator: our Go program over pstest (tools/pubsub-emulator), built once into Herald's cache. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../logger.js';
import { ensureGoTool } from '../go-build.js';
import { secondsSince, spawnBroker, stopBrokerProcess, tcpAccepts, waitUntilReady } from './broker-process.js';
import { BrokerInstallError } from './install-step.js';

export interface PubSubEmulatorOptions {
  readonly port: number;
  readonly logger: Logger;
  /** Where the emulator's log goes; none when omitted. Topics and messages live in memory only. */
  readonly dataDir?: string;
  /** PUBSUB_EMULATOR_HOST here skips starting one. Defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly startTimeoutMs?: number;
}

export interface RunningPubSubEmulator {
  /** `127.0.0.1:<port>` (plaintext gRPC, no credentials), or PUBSUB_EMULATOR_HOST. */
  readonly host: string;
  /** False when PUBSUB_EMULATOR_HOST named an existing emulator. */
  readonly started: boolean;
  stop(): Promise<void>;
}

export const PUBSUB_EMULATOR_SOURCE_DIR = fileURLToPath(new URL('../../../tools/pubsub-emulator/', import.meta.url));
const BINARY_PREFIX = 'herald-pubsub-emulator-';
const HINT = 'Install Go >= 1.26 (go on PATH; cloud.google.com/go/pubsub/v2 v2.8.0 needs it), or set PUBSUB_EMULATOR_HOST to an existing emulator.';

/**
 * Returns the emulator binary: HERALD_PUBSUB_EMULATOR_BIN, else `<cache>/bin/herald-pubsub-emulator-<hash>`
 * keyed by main.go, go.mod and go.sum, built with `go build` when missing (about 30 s cold).
 */
export async function ensurePubSubEmulator(logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.HERALD_PUBSUB_EMULATOR_BIN) return env.HERALD_PUBSUB_EMULATOR_BIN;
  return ensureGoTool({
    label: 'the Pub/Sub emulator', sourceDir: PUBSUB_EMULATOR_SOURCE_DIR, binaryPrefix: BINARY_PREFIX, logger,
    onFailure: (reason) => new BrokerInstallError('Pub/Sub emulator', reason, HINT),
  });
}

/** Starts the emulator on 127.0.0.1:`port` and resolves once it accepts connections. */
export async function startPubSubEmulator(options: PubSubEmulatorOptions): Promise<RunningPubSubEmulator> {
  const env = options.env ?? process.env;
  if (env.PUBSUB_EMULATOR_HOST) return { host: env.PUBSUB_EMULATOR_HOST, started: false, stop: async () => undefined };
  const { port, logger } = options;
  const started = Date.now();
  const binary = await ensurePubSubEmulator(logger, env);
  const proc = spawnBroker(binary, ['-host', '127.0.0.1', '-port', String(port)], {
    ...(options.dataDir ? { logFile: join(options.dataDir, 'pubsub-emulator.log') } : {}),
  });
  const stop = () => stopBrokerProcess(proc, 5_000);
  try {
    await waitUntilReady('Pub/Sub emulator', proc, () => tcpAccepts(port), options.startTimeoutMs ?? 60_000, 25);
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info({ port, seconds: secondsSince(started) }, 'Pub/Sub emulator ready');
  let stopping: Promise<void> | undefined;
  return { host: `127.0.0.1:${port}`, started: true, stop: () => (stopping ??= stop()) };
}
