import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import express, { Router, type Request, type Response } from 'express';
import type { Config } from '../config/config.js';
import type { PortalClientConfig } from '../wire/portal-config.js';
import { errorBody } from './error-handler.js';

/** Where `npm run portal:build` writes the portal. */
export const PORTAL_DIST = fileURLToPath(new URL('../../portal/dist', import.meta.url));

export function portalClientConfig(portal: Config['portal']): PortalClientConfig {
  return {
    organizationName: portal.organizationName ?? null,
    brandColor: portal.brandColor ?? null,
    logo: portal.logo ?? null,
    logoDark: portal.logoDark ?? portal.logo ?? null,
    faviconUrl: portal.faviconUrl ?? null,
    forceTheme: portal.forceTheme ?? null,
    disableOutpostBranding: portal.disableOutpostBranding,
    enableDestinationFilter: portal.enableDestinationFilter,
    enableWebhookCustomHeaders: portal.enableWebhookCustomHeaders,
    refererUrl: portal.refererUrl ?? null,
    refreshUrl: portal.refreshUrl ?? null,
  };
}

export interface PortalOptions {
  readonly portal: Config['portal'];
  /** The built app (index.html plus hashed assets under assets/). */
  readonly distDir?: string;
}

/** Vite names every asset under assets/ by its content hash: a changed file is a new URL. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Passes the request to the dev server at `proxyUrl` (development: `vite dev` with base /portal/). */
function proxyTo(proxyUrl: string) {
  return async (req: Request, res: Response) => {
    const upstream = await fetch(new URL(req.originalUrl, proxyUrl), { method: req.method, headers: { accept: req.get('accept') ?? '*/*' } })
      .catch(() => null);
    if (!upstream) return void res.status(502).json(errorBody(502, `the portal dev server at ${proxyUrl} does not answer`));
    res.status(upstream.status);
    for (const name of ['content-type', 'cache-control', 'etag']) {
      const value = upstream.headers.get(name);
      if (value) res.setHeader(name, value);
    }
    if (!upstream.body) return void res.end();
    Readable.fromWeb(upstream.body).pipe(res);
  };
}

/**
 * The tenant portal under /portal: /portal/config.json, the built files (hashed assets cached for
 * a year, index.html revalidated every time), and index.html for every other path so the app's
 * own routes survive a reload. Without a build it answers 503 saying how to make one.
 */
export function portalRouter(options: PortalOptions): Router {
  const router = Router();
  const distDir = options.distDir ?? PORTAL_DIST;
  const clientConfig = portalClientConfig(options.portal);
  router.get('/config.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(clientConfig);
  });
  if (options.portal.proxyUrl) {
    router.use(proxyTo(options.portal.proxyUrl));
    return router;
  }
  const indexHtml = join(distDir, 'index.html');
  router.use(express.static(distDir, {
    index: false,
    redirect: false,
    setHeaders: (res, path) => res.setHeader('Cache-Control', path.startsWith(join(distDir, 'assets')) ? IMMUTABLE : 'no-cache'),
  }));
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (!existsSync(indexHtml)) {
      return void res.status(503).json(errorBody(503, 'the portal is not built: run `npm run portal:build` (npm start builds it when missing)'));
    }
    // A missing asset is a 404, not the app: a browser would otherwise parse HTML as a script.
    if (req.path.startsWith('/assets/')) return void res.status(404).json(errorBody(404, 'not found'));
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return router;
}
