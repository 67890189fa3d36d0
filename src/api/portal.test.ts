import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../config/config.js';
import { portalRouter } from './portal.js';

const portal: Config['portal'] = {
  url: undefined, refererUrl: 'https://app.example.test/back', refreshUrl: undefined, organizationName: 'Acme', brandColor: '#0a7',
  logo: 'https://cdn.example.test/logo.svg', logoDark: undefined, faviconUrl: undefined, forceTheme: 'dark',
  disableOutpostBranding: true, enableDestinationFilter: true, enableWebhookCustomHeaders: false, proxyUrl: undefined,
};

const servers: Server[] = [];
const dirs: string[] = [];

async function serve(options: Parameters<typeof portalRouter>[0]): Promise<string> {
  const app = express();
  app.use('/portal', portalRouter(options));
  app.use((_req, res) => void res.status(404).json({ status: 404, message: 'not found' }));
  const server = createServer(app).listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let built = '';
beforeAll(async () => {
  const dist = mkdtempSync(join(tmpdir(), 'portal-dist-'));
  dirs.push(dist);
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dist, 'assets', 'index-Ab12Cd.js'), 'console.log(1)');
  writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
  built = await serve({ portal, distDir: dist });
});
afterAll(() => {
  for (const server of servers) server.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the portal served by the API process', () => {
  it('when a hashed asset is asked for, then it is served with a year-long immutable cache', async () => {
    const res = await fetch(`${built}/portal/assets/index-Ab12Cd.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it.each(['/portal', '/portal/', '/portal/destinations/des_1/activity?x=1'])('when the app path %s is opened, then index.html comes back, revalidated each time', async (path) => {
    const res = await fetch(`${built}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('id="root"');
  });

  it('when a missing asset is asked for, then 404 in the error envelope, not the app', async () => {
    const res = await fetch(`${built}/portal/assets/gone-123.js`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ status: 404, message: 'not found' });
  });

  it('when config.json is asked for, then branding and flags come back and nothing else', async () => {
    const res = await fetch(`${built}/portal/config.json`);
    expect(await res.json()).toEqual({
      organizationName: 'Acme', brandColor: '#0a7', logo: 'https://cdn.example.test/logo.svg', logoDark: 'https://cdn.example.test/logo.svg',
      faviconUrl: null, forceTheme: 'dark', disableOutpostBranding: true, enableDestinationFilter: true, enableWebhookCustomHeaders: false,
      refererUrl: 'https://app.example.test/back', refreshUrl: null,
    });
  });

  it('when a path tries to climb out of the build folder, then nothing outside it is served', async () => {
    const res = await fetch(`${built}/portal/..%2f..%2fpackage.json`);
    expect(res.headers.get('content-type')).not.toMatch(/json/);
  });

  it('when the portal was never built, then 503 in the error envelope says how to build it', async () => {
    const base = await serve({ portal, distDir: join(tmpdir(), 'no-such-portal-dist') });
    const res = await fetch(`${base}/portal/`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 503, message: expect.stringContaining('npm run portal:build') });
  });

  it('when PORTAL_PROXY_URL is set, then the portal\'s files come from that dev server', async () => {
    const dev = createServer((req, res) => { res.setHeader('content-type', 'text/plain'); res.end(`dev ${req.url}`); }).listen(0, '127.0.0.1');
    servers.push(dev);
    await new Promise<void>((resolve) => dev.once('listening', resolve));
    const base = await serve({ portal: { ...portal, proxyUrl: `http://127.0.0.1:${(dev.address() as AddressInfo).port}` } });
    const res = await fetch(`${base}/portal/src/main.tsx`);
    expect(await res.text()).toBe('dev /portal/src/main.tsx');
  });
});
