/** Installs Debian packages with apt-get, as root or through `sudo -n`, non-interactively. */
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Logger } from '../logger.js';
import { onPath } from './brokers/broker-process.js';
import { runInstallStep } from './brokers/install-step.js';

/** Blocks service starts by maintainer scripts (invoke-rc.d and deb-systemd-invoke honour it). */
const POLICY_RC_D = '/usr/sbin/policy-rc.d';

/** Thrown when apt-get cannot be used here (no apt-get, not root and no sudo) or the install failed. */
export class AptInstallError extends Error {
  constructor(
    readonly packages: readonly string[],
    readonly reason: string,
  ) {
    super(`apt-get install ${packages.join(' ')}: ${reason}`);
    this.name = 'AptInstallError';
  }
}

function privilegedPrefix(): string[] | undefined {
  if (process.getuid?.() === 0) return [];
  return onPath('sudo') ? ['sudo', '-n'] : undefined;
}

/** Whether `aptInstall` can run on this machine. */
export const canAptInstall = (): boolean => onPath('apt-get') !== undefined && privilegedPrefix() !== undefined;

/**
 * `apt-get update` then `apt-get install --no-install-recommends`, waiting up to 5 min for another
 * apt-get to release the dpkg lock. With `blockServiceStarts` (root only) the packages' own
 * services are kept from starting while they install.
 */
export async function aptInstall(packages: readonly string[], logger: Logger, options: { blockServiceStarts?: boolean } = {}): Promise<void> {
  const prefix = privilegedPrefix();
  if (!onPath('apt-get') || !prefix) throw new AptInstallError(packages, 'no apt-get, or not root and no sudo');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (...args: string[]) => {
    const [command, ...rest] = [...prefix, 'apt-get', '-o', 'DPkg::Lock::Timeout=300', ...args];
    return runInstallStep(command!, rest, { env });
  };
  const blocked = options.blockServiceStarts === true && prefix.length === 0 && !existsSync(POLICY_RC_D);
  if (blocked) writeFileSync(POLICY_RC_D, '#!/bin/sh\n# Written by Herald while installing packages; removed right after.\nexit 101\n', { mode: 0o755 });
  try {
    await apt('update', '-q');
    await apt('install', '-y', '-q', '--no-install-recommends', ...packages);
  } catch (error) {
    logger.error({ err: error }, `apt-get install ${packages.join(' ')} failed`);
    throw new AptInstallError(packages, 'failed (see the log)');
  } finally {
    if (blocked) unlinkSync(POLICY_RC_D);
  }
}
