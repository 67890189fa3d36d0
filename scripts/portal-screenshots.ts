/**
 * `npm run portal:screenshots`: starts Herald as `herald start` does (embedded Postgres, Temporal
 * dev server, API + worker) in a throwaway data folder, seeds a tenant with two webhook destinations
 * and some deliveries (one receiver answers 500), and photographs the portal's main pages in the
 * light and dark themes, plus one at phone width, into docs/portal/.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logger.js';
import { runHerald } from '../src/process/run-herald.js';
import { createShutdown, SHUTDOWN_DEADLINE_MS } from '../src/process/shutdown.js';
import { freeLoopbackPort } from '../src/runtime/ports.js';
import { ensurePortalBuilt, launchBrowser } from '../test/harness/browser.js';

const OUT = fileURLToPath(new URL('../docs/portal/', import.meta.url));
const TENANT = 'acme';
// Quiet: stopping embedded Postgres under idle pool clients is logged as warnings, and is expected here.
const logger = createLogger({ level: 'error', format: 'json' });

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The few fields of the API's answers this script reads. */
type Answer = { id?: string; redirect_url?: string; models?: unknown[] };

async function main(): Promise<void> {
  await ensurePortalBuilt();
  mkdirSync(OUT, { recursive: true });
  const receiver = createServer((req, res) => {
    req.resume();
    res.writeHead(req.url?.startsWith('/billing') ? 500 : 200, { 'content-type': 'application/json' });
    res.end(req.url?.startsWith('/billing') ? '{"error":"upstream unavailable"}' : '{"received":true}');
  }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => receiver.once('listening', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  const dataDir = mkdtempSync(join(tmpdir(), 'herald-screenshots-'));
  const config = loadConfig({
    ...process.env,
    AES_ENCRYPTION_SECRET: randomBytes(32).toString('hex'), API_JWT_SECRET: randomBytes(32).toString('hex'), API_KEY: '',
    API_HOST: '127.0.0.1', API_PORT: String(await freeLoopbackPort()), LOG_LEVEL: 'warn', LOG_FORMAT: 'json',
    TOPICS: 'order.created,order.paid,customer.updated', RETRY_SCHEDULE: '3600,3600', DESTINATIONS_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
    PORTAL_ORGANIZATION_NAME: 'Acme', PORTAL_REFERER_URL: 'https://app.acme.example/settings', DATABASE_URL: '', TEMPORAL_ADDRESS: '',
  });
  const shutdown = createShutdown({ logger: () => logger, deadlineMs: SHUTDOWN_DEADLINE_MS, exit: () => undefined });
  const chrome = await launchBrowser();
  try {
    const { api } = await runHerald({
      command: 'start', config, logger, shutdown, dataDir,
      ports: { postgres: await freeLoopbackPort(), temporal: await freeLoopbackPort(), temporalUi: await freeLoopbackPort() },
    });
    const base = api!.url;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}/api/v1${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as Answer;
    };
    type AttemptList = { models: { id: string; event_id: string }[] };
    const asAttempts = (answer: Answer) => answer as unknown as AttemptList;
    await until(() => call('GET', '/healthz'), () => true, 'the API');
    await call('PUT', `/tenants/${TENANT}`, {});
    const orders = await call('POST', `/tenants/${TENANT}/destinations`, { type: 'webhook', topics: ['order.created', 'order.paid'], config: { url: `${receiverUrl}/orders` } });
    const billing = await call('POST', `/tenants/${TENANT}/destinations`, { type: 'webhook', topics: '*', config: { url: `${receiverUrl}/billing/events` } });
    const topics = ['order.created', 'order.paid', 'customer.updated', 'order.created', 'order.paid', 'order.created'];
    for (const [i, topic] of topics.entries()) {
      await call('POST', '/publish', { tenant_id: TENANT, topic, data: { id: `ord_${1000 + i}`, amount: 1250 + i * 10, currency: 'EUR' } });
    }
    const billingAttempts = (query: string) => call('GET', `/attempts?tenant_id=${TENANT}&destination_id[]=${billing.id}&${query}`).then(asAttempts);
    const failed = await until(() => billingAttempts('status=failed'), (r) => r.models.length >= topics.length, 'the first attempts');
    const retried = failed.models[0]!;
    await call('POST', '/retry', { event_id: retried.event_id, destination_id: billing.id });
    const manual = (await until(() => billingAttempts(`event_id[]=${retried.event_id}`), (r) => r.models.length >= 2, 'the manual retry')).models[0]!;
    const link = (await call('GET', `/tenants/${TENANT}/portal`)).redirect_url!;

    const shoot = async (page: Page, name: string) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true, animations: 'disabled' });
    for (const theme of ['light', 'dark'] as const) {
      const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
      context.setDefaultTimeout(60_000);
      const page = await context.newPage();
      await page.goto(`${link}&theme=${theme}`);
      await page.locator('.recharts-surface').first().waitFor();
      await shoot(page, `destinations-${theme}`);
      await page.getByRole('link', { name: 'Add destination' }).click();
      await page.getByRole('radio', { name: /Webhook/ }).check();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByLabel('URL').fill('https://hooks.example.com/herald');
      await page.getByRole('heading', { name: 'Receiving webhooks' }).waitFor();
      await shoot(page, `wizard-${theme}`);
      await page.goto(`${base}/portal/destinations/${orders.id}`);
      await page.getByRole('button', { name: 'Save changes' }).waitFor();
      await shoot(page, `destination-${theme}`);
      await page.goto(`${base}/portal/activity`);
      await page.getByRole('list', { name: 'Attempt list' }).getByRole('link').nth(5).waitFor();
      await shoot(page, `activity-${theme}`);
      await page.goto(`${base}/portal/destinations/${billing.id}/attempts/${manual.id}`);
      await page.getByText('Next retry scheduled for').waitFor();
      await shoot(page, `attempt-${theme}`);
      await context.close();
    }
    const phone = await chrome.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, colorScheme: 'dark' });
    const page = await phone.newPage();
    await page.goto(`${link}&theme=dark`);
    await page.locator('.recharts-surface').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(OUT, 'destinations-phone-dark.png'), animations: 'disabled' });
    await phone.close();
    console.log(`screenshots written to ${OUT}`);
  } finally {
    await chrome.close();
    await shutdown.begin('screenshots taken', 0);
    receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
