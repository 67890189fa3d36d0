/** An SQS-compatible server on loopback: moto's server mode, from a venv built once in Herald's cache. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../logger.js';
import { heraldCacheDir } from '../temporal-cli.js';
import { onPathAll, secondsSince, spawnBroker, stopBrokerProcess, waitUntilReady } from './broker-process.js';
import { BrokerInstallError, inputsHash, runInstallStep } from './install-step.js';

export interface SqsServerOptions {
  /** Where the server's log goes; none when omitted. Queues live in memory only. */
  readonly dataDir?: string;
  readonly port: number;
  readonly logger: Logger;
  /** HERALD_SQS_ENDPOINT here skips starting a server (HERALD_SQS_REGION sets its region). Defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  readonly startTimeoutMs?: number;
}

export interface RunningSqsServer {
  /** `http://127.0.0.1:<port>`, or HERALD_SQS_ENDPOINT. Any access key and secret are accepted. */
  readonly endpoint: string;
  readonly region: string;
  /** False when HERALD_SQS_ENDPOINT named an existing server. */
  readonly started: boolean;
  stop(): Promise<void>;
}

export const SQS_LOCAL_REGION = 'us-east-1';

/**
 * moto's SQS backend and the two libraries its server mode needs; far smaller than `moto[server]`.
 * The same server also serves Kinesis and S3 (the AWS destinations' tests use it): both backends
 * are in moto's core. The `s3` extra adds PyYAML (already here through `responses`) and the S3
 * Select parser, which nothing here calls, so the requirements stay as they are.
 */
export const MOTO_REQUIREMENTS = ['moto[sqs]==5.2.5', 'flask==3.1.3', 'flask-cors==6.0.5'] as const;

const HINT = 'Install Python 3 with venv and pip, or set HERALD_SQS_ENDPOINT to an existing SQS-compatible server.';
const READY_MARKER = '.herald-ready';

/**
 * Returns the Python of a venv holding moto, creating it on first use (about 10 s). The venv is
 * keyed by the requirements and the interpreter, and built beside its final place then renamed
 * there, so concurrent first runs cannot see a half-built one.
 */
export async function ensureMoto(logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { python, version } = await workingPython(logger, env);
  const venv = join(heraldCacheDir(), 'venvs', `moto-${inputsHash([], [...MOTO_REQUIREMENTS, version])}`);
  const venvPython = join(venv, 'bin', 'python');
  if (existsSync(join(venv, READY_MARKER))) return venvPython;

  const started = Date.now();
  logger.info({ venv }, 'installing moto into a venv (once per machine)');
  const building = `${venv}.building-${process.pid}-${randomBytes(4).toString('hex')}`;
  mkdirSync(join(heraldCacheDir(), 'venvs'), { recursive: true });
  try {
    await runInstallStep(python, ['-m', 'venv', building]);
    await runInstallStep(join(building, 'bin', 'python'), [
      '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', ...MOTO_REQUIREMENTS,
    ]);
    writeFileSync(join(building, READY_MARKER), `${MOTO_REQUIREMENTS.join('\n')}\n`);
    if (!existsSync(join(venv, READY_MARKER))) {
      rmSync(venv, { recursive: true, force: true });
      try {
        renameSync(building, venv);
      } catch (error) {
        if (!existsSync(join(venv, READY_MARKER))) throw error; // else a concurrent first run won
      }
    }
  } catch (error) {
    logger.error({ err: error }, 'creating the moto venv failed');
    throw new BrokerInstallError('moto (SQS)', 'pip install failed (see the log)', HINT);
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  logger.info({ seconds: secondsSince(started) }, 'moto installed');
  return venvPython;
}

/**
 * The first Python that runs and can make a venv: HERALD_PYTHON alone when set, else every
 * python3 on PATH in order, then python. Each is asked once, with a generous timeout: a version
 * manager's shim on a busy machine (the brokers start side by side) can take many seconds, and a
 * slow answer is not a missing Python.
 */
async function workingPython(logger: Logger, env: NodeJS.ProcessEnv): Promise<{ python: string; version: string }> {
  const candidates = env.HERALD_PYTHON ? [env.HERALD_PYTHON] : [...onPathAll('python3'), ...onPathAll('python')];
  if (candidates.length === 0) throw new BrokerInstallError('moto (SQS)', 'no python3 on PATH', HINT);
  const failures: string[] = [];
  for (const python of new Set(candidates)) {
    try {
      const version = await runInstallStep(python, ['-c', PROBE], { timeoutMs: PROBE_TIMEOUT_MS });
      return { python, version };
    } catch (error) {
      logger.warn({ err: error, python }, 'this python3 cannot build the moto venv; trying the next');
      failures.push(python);
    }
  }
  throw new BrokerInstallError('moto (SQS)', `no Python that can make a venv (${failures.join(', ')})`, HINT);
}

/** Prints what keys the venv; fails where `python -m venv` would (Debian's python3 without python3-venv lacks ensurepip). */
const PROBE = 'import sys, venv, ensurepip; print(sys.version); print(sys.base_prefix)';
const PROBE_TIMEOUT_MS = 180_000;

/** Starts moto's server on 127.0.0.1:`port` and resolves once it answers HTTP. */
export async function startSqsServer(options: SqsServerOptions): Promise<RunningSqsServer> {
  const env = options.env ?? process.env;
  const region = env.HERALD_SQS_REGION ?? SQS_LOCAL_REGION;
  if (env.HERALD_SQS_ENDPOINT) return { endpoint: env.HERALD_SQS_ENDPOINT, region, started: false, stop: async () => undefined };
  const { port, logger } = options;
  const started = Date.now();
  const python = await ensureMoto(logger, env);
  const proc = spawnBroker(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
    ...(options.dataDir ? { logFile: join(options.dataDir, 'moto.log') } : {}),
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => stopBrokerProcess(proc, 5_000);
  try {
    await waitUntilReady('moto (SQS)', proc, () => answers(`${endpoint}/moto-api/`), options.startTimeoutMs ?? 90_000, 50);
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info({ port, seconds: secondsSince(started) }, 'SQS server (moto) ready');
  let stopping: Promise<void> | undefined;
  return { endpoint, region, started: true, stop: () => (stopping ??= stop()) };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
