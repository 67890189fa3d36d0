/** Finds the RabbitMQ server scripts, installing Debian's `rabbitmq-server` package when missing. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '../../logger.js';
import { onPath, secondsSince } from './broker-process.js';
import { aptInstall, canAptInstall } from '../apt-install.js';
import { BrokerInstallError } from './install-step.js';

export interface RabbitMqInstallation {
  /** Runs the broker in the foreground as the current user. */
  readonly serverScript: string;
  readonly ctlScript: string;
}

/**
 * Debian keeps the real scripts here; `/usr/sbin/rabbitmq-server` is a wrapper that switches to
 * the `rabbitmq` user and its fixed directories, which our own node must avoid.
 */
const DEBIAN_SBIN = '/usr/lib/rabbitmq/bin';
const HINT = 'Install rabbitmq-server yourself, or set RABBITMQ_URL to an existing broker.';

function fromDir(dir: string): RabbitMqInstallation | undefined {
  const serverScript = join(dir, 'rabbitmq-server');
  const ctlScript = join(dir, 'rabbitmqctl');
  return existsSync(serverScript) && existsSync(ctlScript) ? { serverScript, ctlScript } : undefined;
}

/** HERALD_RABBITMQ_SBIN, then Debian's layout, then `rabbitmq-server` on PATH (Homebrew, tarballs). */
export function findRabbitMq(env: NodeJS.ProcessEnv = process.env): RabbitMqInstallation | undefined {
  if (env.HERALD_RABBITMQ_SBIN) return fromDir(env.HERALD_RABBITMQ_SBIN);
  const debian = fromDir(DEBIAN_SBIN);
  if (debian) return debian;
  const onPathScript = onPath('rabbitmq-server');
  return onPathScript ? fromDir(dirname(onPathScript)) : undefined;
}

/**
 * Returns the installed scripts, or installs the package with apt-get (once per machine, about
 * 15 s). The package's own service is kept from starting while it installs; our node never uses
 * its ports, node name, cookie or epmd either, so a system service started later cannot conflict.
 */
export async function ensureRabbitMq(logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<RabbitMqInstallation> {
  const found = findRabbitMq(env);
  if (found) return found;
  if (!canAptInstall()) throw new BrokerInstallError('RabbitMQ', 'no apt-get, or not root and no sudo', HINT);
  const started = Date.now();
  logger.info('installing rabbitmq-server with apt-get (once per machine)');
  try {
    await aptInstall(['rabbitmq-server'], logger, { blockServiceStarts: true });
  } catch {
    throw new BrokerInstallError('RabbitMQ', 'apt-get install rabbitmq-server failed (see the log)', HINT);
  }
  const installed = findRabbitMq(env);
  if (!installed) throw new BrokerInstallError('RabbitMQ', `installed, but no scripts in ${DEBIAN_SBIN}`, HINT);
  logger.info({ seconds: secondsSince(started) }, 'rabbitmq-server installed');
  return installed;
}
