/** Finds a Chromium for the browser tests and screenshots, installing Debian's `chromium` when missing. */
import { existsSync } from 'node:fs';
import type { Logger } from '../logger.js';
import { aptInstall, canAptInstall } from './apt-install.js';
import { onPath } from './brokers/broker-process.js';

/** Thrown when no Chromium is on this machine and none can be installed; the message says what to do. */
export class ChromiumUnavailableError extends Error {
  constructor(reason: string) {
    super(`no Chromium: ${reason}. Install Debian's chromium (apt-get install chromium) or set HERALD_CHROMIUM to a Chrome or Chromium executable.`);
    this.name = 'ChromiumUnavailableError';
  }
}

const KNOWN_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** HERALD_CHROMIUM, then the usual install paths, then `chromium` on PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.HERALD_CHROMIUM) return existsSync(env.HERALD_CHROMIUM) ? env.HERALD_CHROMIUM : undefined;
  return KNOWN_PATHS.find((p) => existsSync(p)) ?? onPath('chromium') ?? onPath('chromium-browser');
}

/**
 * The Chromium executable, installed with apt-get once per machine when missing (no browser
 * download: Debian's package is the one source). Fonts come along so pages render text.
 */
export async function ensureChromium(logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const found = findChromium(env);
  if (found) return found;
  if (!canAptInstall()) throw new ChromiumUnavailableError('no apt-get, or not root and no sudo');
  logger.info('installing chromium with apt-get (once per machine)');
  await aptInstall(['chromium', 'fonts-dejavu-core'], logger).catch((error: unknown) => {
    throw new ChromiumUnavailableError(error instanceof Error ? error.message : String(error));
  });
  const installed = findChromium(env);
  if (!installed) throw new ChromiumUnavailableError('apt-get installed chromium, but no executable was found');
  return installed;
}

/** Launch arguments: no sandbox as root (Chromium refuses to start sandboxed as root), quiet otherwise. */
export function chromiumArgs(): string[] {
  return [
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run', '--no-default-browser-check', '--disable-extensions',
  ];
}
