import { SignJWT } from 'jose';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePortalBuilt, launchBrowser, type TestBrowser } from '../harness/browser.js';
import { startTestHerald, type TestHerald } from '../harness/herald.js';
import { startReceiver, type Receiver } from '../harness/receiver.js';
import { eventually, uid } from './fixtures.js';

const API_KEY = 'admin-key-for-portal-browser-tests';
const JWT_SECRET = 'jwt-secret-for-portal-browser-tests';
const admin = { authorization: `Bearer ${API_KEY}` };
/** Long enough that no automatic retry fires while a test looks at the scheduled one. */
const RETRY_SCHEDULE = '600,600,600';
/** Generous: on a loaded machine a delivery and the page's next poll can take a while. */
const UI_TIMEOUT = 60_000;

let herald: TestHerald;
let receiver: Receiver;
let refresh: Receiver;
let chrome: TestBrowser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [receiver, refresh] = await Promise.all([startReceiver(), startReceiver(() => ({ status: 200, body: 'sign in again' }))]);
  await ensurePortalBuilt();
  [herald, chrome] = await Promise.all([
    startTestHerald({
      API_KEY, API_JWT_SECRET: JWT_SECRET, RETRY_SCHEDULE, TOPICS: 'order.created,order.paid',
      PORTAL_REFRESH_URL: `${refresh.url}/refresh`, PORTAL_ORGANIZATION_NAME: 'Acme',
    }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await chrome?.close();
  await herald?.close();
  await receiver?.close();
  await refresh?.close();
});

async function newPage(options: Parameters<TestBrowser['browser']['newContext']>[0] = {}): Promise<Page> {
  const context = await chrome.browser.newContext(options);
  contexts.push(context);
  context.setDefaultTimeout(UI_TIMEOUT);
  return context.newPage();
}

async function createTenant(): Promise<string> {
  const tenantId = uid('portal');
  expect((await herald.call('PUT', `/tenants/${tenantId}`, {}, admin)).status).toBe(201);
  return tenantId;
}

async function portalLink(tenantId: string, theme?: 'light' | 'dark'): Promise<string> {
  const res = await herald.call('GET', `/tenants/${tenantId}/portal${theme ? `?theme=${theme}` : ''}`, undefined, admin);
  expect(res.status).toBe(200);
  return res.body.redirect_url as string;
}

async function publish(tenantId: string, data: Record<string, unknown>): Promise<string> {
  const res = await herald.call('POST', '/publish', { tenant_id: tenantId, topic: 'order.created', data }, admin);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.id as string;
}

// Run in the page (strings, as this project is not compiled against the DOM).
const PAGE_WIDTH = 'document.documentElement.scrollWidth';
const FOCUSED = `(() => {
  const el = document.activeElement;
  return { text: el ? el.textContent.trim() : '', outline: el ? getComputedStyle(el).outlineStyle : 'none', tag: el ? el.tagName : '', type: el && el.type || '' };
})()`;
/** Form controls with no accessible name: no label element, aria-label or aria-labelledby. */
const UNLABELLED_CONTROLS = `[...document.querySelectorAll('input, select, textarea')]
  .filter((el) => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map((el) => el.outerHTML)`;

describe('the tenant portal in Chromium', () => {
  it('when a tenant creates a webhook in the wizard, then it sees deliveries, retries by hand, rotates the secret, disables and deletes it', async () => {
    const tenantId = await createTenant();
    const path = `/${uid('hook')}`;
    receiver.setResponder((r) => (r.path === path ? { status: 200, body: 'accepted' } : { status: 200 }));
    const page = await newPage();
    await page.goto(await portalLink(tenantId));
    await page.getByRole('heading', { name: 'Destinations' }).waitFor();
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);

    // The wizard: type, topics, then the form generated from the webhook type's schema.
    await page.getByRole('link', { name: 'Add destination' }).click();
    await page.getByRole('radio', { name: /Webhook/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('checkbox', { name: 'All topics' }).uncheck();
    await page.getByRole('checkbox', { name: 'order.created' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Receiving webhooks' }).waitFor();
    await page.getByLabel('URL').fill(`${receiver.url}${path}`);
    await page.getByRole('button', { name: 'Create destination' }).click();
    await page.getByRole('link', { name: 'Overview' }).waitFor();
    const destinationId = decodeURIComponent(new URL(page.url()).pathname.split('/')[3] ?? '');
    const stored = await herald.call('GET', `/tenants/${tenantId}/destinations/${destinationId}`, undefined, admin);
    expect(stored.body).toMatchObject({ type: 'webhook', topics: ['order.created'], config: { url: `${receiver.url}${path}` } });
    const firstSecret = stored.body.credentials.secret as string;

    // A published event shows up in activity as a successful attempt.
    const eventId = await publish(tenantId, { order: 7 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click();
    const attemptLink = page.getByRole('list', { name: 'Attempt list' }).getByRole('link').filter({ hasText: 'order.created' });
    await attemptLink.filter({ hasText: 'success' }).first().waitFor();
    await attemptLink.first().click();
    await page.getByRole('heading', { name: 'Attempt 1' }).waitFor();
    await page.getByRole('region', { name: 'Event payload' }).getByText('"order": 7').waitFor();
    await page.getByRole('region', { name: 'Response' }).getByText('accepted').waitFor();

    // The receiver fails; a manual retry makes attempt 2, whose failure and next retry the page shows.
    receiver.setResponder((r) => (r.path === path ? { status: 500, body: 'down' } : { status: 200 }));
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('Retry failed: attempt 2, 500.').waitFor();
    const timeline = page.getByRole('region', { name: 'Delivery timeline' });
    await timeline.getByText('Attempt 2 (manual)').waitFor();
    await timeline.getByText('Next retry scheduled for').waitFor();
    const attempts = await herald.call('GET', `/attempts?event_id=${eventId}&dir=asc`, undefined, admin);
    expect(attempts.body.models.map((a: { attempt_number: number; manual: boolean; status: string }) => [a.attempt_number, a.manual, a.status]))
      .toEqual([[1, false, 'success'], [2, true, 'failed']]);

    // Rotation shows the new secret once; it is the one now stored.
    // The destination's metrics count both attempts, by code.
    await page.getByRole('link', { name: '← Destination activity' }).click();
    await page.getByRole('link', { name: 'Metrics' }).click();
    const byCode = page.getByRole('region', { name: 'By response code' });
    await byCode.getByRole('cell', { name: '500', exact: true }).waitFor();
    await byCode.getByRole('cell', { name: '200', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const shown = (await page.getByRole('status').filter({ hasText: 'New signing secret' }).locator('code').textContent()) ?? '';
    const rotated = await herald.call('GET', `/tenants/${tenantId}/destinations/${destinationId}`, undefined, admin);
    expect(shown).toMatch(/^whsec_/);
    expect(shown).not.toBe(firstSecret);
    expect(rotated.body.credentials).toMatchObject({ secret: shown, previous_secret: firstSecret });

    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('button', { name: 'Enable' }).waitFor();
    expect((await herald.call('GET', `/tenants/${tenantId}/destinations/${destinationId}`, undefined, admin)).body.disabled_at).not.toBeNull();

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Delete destination' }).click();
    await page.getByText('No destinations yet').waitFor();
    expect((await herald.call('GET', `/tenants/${tenantId}/destinations/${destinationId}`, undefined, admin)).status).toBe(404);
  });

  it('when another tenant\'s destination and attempt ids are put in the URL, then the portal shows not found and none of their data', async () => {
    const [mine, theirs] = await Promise.all([createTenant(), createTenant()]);
    const secretPath = `/${uid('their-private-hook')}`;
    const created = await herald.call('POST', `/tenants/${theirs}/destinations`, { type: 'webhook', topics: '*', config: { url: `${receiver.url}${secretPath}` } }, admin);
    const theirDestination = created.body.id as string;
    const theirEvent = await publish(theirs, { their: 'secret-payload' });
    const attempt = await eventually(
      () => herald.call('GET', `/attempts?event_id=${theirEvent}`, undefined, admin),
      (r) => (r.body?.models?.length ?? 0) > 0,
    );
    const page = await newPage();
    await page.goto(await portalLink(mine));
    await page.getByRole('heading', { name: 'Destinations' }).waitFor();
    const base = new URL(page.url()).origin;

    await page.goto(`${base}/portal/destinations/${theirDestination}`);
    await page.getByRole('heading', { name: 'Destination not found' }).waitFor();
    expect(await page.content()).not.toContain(secretPath);

    await page.goto(`${base}/portal/destinations/${theirDestination}/attempts/${attempt.body.models[0].id as string}`);
    await page.getByRole('heading', { name: 'Attempt not found' }).waitFor();
    expect(await page.content()).not.toContain('secret-payload');

    await page.goto(`${base}/portal/activity`);
    await page.getByRole('heading', { name: 'Activity' }).waitFor();
    await page.getByText('No attempts match.').waitFor();
  });

  it.each([
    ['no token', async (tenantId: string) => `${new URL(await portalLink(tenantId)).origin}/portal`],
    ['an expired token', async (tenantId: string) => {
      const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('outpost').setSubject(tenantId)
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200).setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
        .sign(new TextEncoder().encode(JWT_SECRET));
      return `${new URL(await portalLink(tenantId)).origin}/portal?token=${expired}`;
    }],
  ])('when the portal is opened with %s, then the user is sent to PORTAL_REFRESH_URL', async (_what, link) => {
    const page = await newPage();
    await page.goto(await link(await createTenant()));
    await page.waitForURL(`${refresh.url}/refresh`);
    await page.getByText('sign in again').waitFor();
  });

  it('when used by keyboard alone on a phone in the dark theme, then every control is reachable, visibly focused and labelled', async () => {
    const tenantId = await createTenant();
    const page = await newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'light' });
    await page.goto(await portalLink(tenantId, 'dark'));
    await page.getByRole('heading', { name: 'Destinations' }).waitFor();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(await page.evaluate(PAGE_WIDTH)).toBeLessThanOrEqual(390);

    type Focused = { text: string; outline: string; tag: string; type: string };
    const focused = () => page.evaluate<Focused>(FOCUSED);
    /** Tabs until the focused element is the one wanted (at most 25 presses); checks each stop shows focus. */
    const tabTo = async (wanted: string | ((f: Focused) => boolean)) => {
      const isIt = typeof wanted === 'string' ? (f: Focused) => f.text === wanted : wanted;
      for (let i = 0; i < 25; i++) {
        await page.keyboard.press('Tab');
        const now = await focused();
        expect(now.outline, `focus ring on ${now.tag} "${now.text}"`).not.toBe('none');
        if (isIt(now)) return;
      }
      throw new Error(`${String(wanted)} not reachable by Tab`);
    };
    await tabTo('Skip to content');
    await tabTo('Add destination');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Add a destination' }).waitFor();
    await page.getByRole('radio').first().waitFor();
    await tabTo((f) => f.type === 'radio');
    await page.keyboard.press('Space');
    expect(await page.getByRole('radio', { name: /Webhook/ }).isChecked()).toBe(true);
    await tabTo('Next');
    await page.keyboard.press('Enter');
    await page.getByRole('checkbox', { name: 'All topics' }).waitFor();
    await tabTo('Next');
    await page.keyboard.press('Enter');
    await page.getByLabel('URL').waitFor();
    expect(await page.evaluate(PAGE_WIDTH)).toBeLessThanOrEqual(390);
    expect(await page.evaluate(UNLABELLED_CONTROLS)).toEqual([]);
  });
});
