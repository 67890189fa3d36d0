import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { PORTAL_DIST } from '../../src/api/portal.js';
import { createLogger } from '../../src/logger.js';
import { guardPid } from '../../src/process/child-guardian.js';
import { chromiumArgs, ensureChromium } from '../../src/runtime/chromium-install.js';

export interface TestBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

/**
 * Headless Debian Chromium driven by Playwright (no browser download). Registered with the process
 * guardian, so a test run killed outright does not leave it running.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const executablePath = await ensureChromium(createLogger({ level: 'info', format: 'json' }));
  // A browser server, not launch(): its process is exposed, to be handed to the guardian.
  const server = await chromium.launchServer({ executablePath, headless: true, args: chromiumArgs(), timeout: 120_000 });
  const pid = server.process().pid;
  const release = pid === undefined ? () => undefined : guardPid(pid, { graceMs: 5_000 });
  try {
    const browser = await chromium.connect(server.wsEndpoint(), { timeout: 60_000 });
    return {
      browser,
      async close() {
        await browser.close().catch(() => undefined);
        await server.close().catch(() => undefined);
        release();
      },
    };
  } catch (error) {
    await server.close().catch(() => undefined);
    release();
    throw error;
  }
}

/** Builds portal/dist from these sources when it is missing (`npm test` always builds it first). */
export async function ensurePortalBuilt(): Promise<void> {
  if (existsSync(`${PORTAL_DIST}/index.html`)) return;
  await build({ configFile: fileURLToPath(new URL('../../portal/vite.config.ts', import.meta.url)), logLevel: 'warn' });
}
