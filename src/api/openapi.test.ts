import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from './app.js';

const API_KEY = 'admin-key-for-tests';

/** Only what building the app and answering the requests below reads: no handler here reaches a store. */
function buildApp(): Express {
  const deps = {
    config: { api: { maxRequestBodyBytes: 4096 }, topics: { configured: [] }, portal: { disableOutpostBranding: false, enableDestinationFilter: false, enableWebhookCustomHeaders: false } },
    auth: { apiKey: API_KEY, jwtSecret: '', deploymentId: '' },
    logger: pino({ level: 'silent' }),
    registry: { types: () => ['webhook'], metadata: () => [], get: () => undefined },
    healthChecks: {},
    // As with PROMETHEUS_ENABLED: the scrape route is served (and documented) at the root.
    telemetry: { apiMiddleware: null, prometheusHandler: (_req: unknown, res: { end(text: string): void }) => res.end('') },
  } as unknown as AppDeps;
  return createApp(deps);
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string;
}

/** Every `METHOD /path` the app's router stack serves, nested routers included, in OpenAPI path form. */
function servedRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const path = `${prefix}${layer.route.path}`.replace(/:(\w+)/g, '{$1}');
      return Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${path}`);
    }
    if (!layer.handle.stack) return [];
    const mountedAt = layer.rawPath === undefined || layer.rawPath === '/' ? '' : layer.rawPath;
    return servedRoutes(layer.handle.stack, `${prefix}${mountedAt}`);
  });
}

const app = buildApp();
let base = '';
let close = () => {};
beforeAll(async () => {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => void server.close();
});
afterAll(() => close());

const call = async (method: string, path: string, auth = true) => {
  const res = await fetch(`${base}${path}`, { method, headers: auth ? { authorization: `Bearer ${API_KEY}` } : {} });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('GET /api/v1/openapi.json', () => {
  let document: { openapi: string; paths: Record<string, Record<string, unknown> & { servers?: { url: string }[] }>; components: { schemas: Record<string, unknown> } };
  beforeAll(async () => {
    const res = await call('GET', '/api/v1/openapi.json', false);
    expect(res.status).toBe(200);
    document = res.body as typeof document;
  });
  // A path item with servers of its own (the Prometheus scrape) is served at that base instead of /api/v1.
  const documented = () => Object.entries(document.paths).flatMap(([path, { servers, ...methods }]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${servers?.[0]?.url === '/' ? '' : '/api/v1'}${path}`));

  it('when fetched without a token, then it is an OpenAPI 3.1 document', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).length).toBeGreaterThan(10);
  });

  it('when the router stack is walked, then every route it serves under /api/v1 is documented and nothing else is', () => {
    const served = new Set(servedRoutes((app as unknown as { router: { stack: Layer[] } }).router.stack));
    const underApi = [...served].filter((route) => route.split(' ')[1]?.startsWith('/api/v1/'));
    expect(new Set(documented())).toEqual(new Set([...underApi, 'GET /metrics']));
    // Outside the base path: the Prometheus scrape, the health check (also served and documented under it) and the portal's config.
    expect([...served].filter((route) => !underApi.includes(route)).sort()).toEqual(['GET /healthz', 'GET /metrics', 'GET /portal/config.json']);
  });

  it('when a schema refers to a named one, then the document defines it', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(([, id]) => id);
    expect(refs.length).toBeGreaterThan(0);
    for (const id of new Set(refs)) expect(document.components.schemas).toHaveProperty([id as string]);
  });

  it('when a route validates its query, then its parameters are documented from the same schema', () => {
    const listEvents = document.paths['/events']?.get as { parameters: { name: string; in: string }[] };
    expect(listEvents.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'dir', 'next', 'prev', 'tenant_id', 'topic', 'time']),
    );
    const getDestination = document.paths['/tenants/{tenant_id}/destinations/{destination_id}']?.get as { parameters: { name: string; in: string }[] };
    expect(getDestination.parameters).toEqual([
      expect.objectContaining({ name: 'tenant_id', in: 'path', required: true }),
      expect.objectContaining({ name: 'destination_id', in: 'path', required: true }),
    ]);
  });
});

describe('the managed-service configuration routes', () => {
  it.each(['GET', 'PATCH'])('when %s /config is called, then 501 in the error envelope says it is not available', async (method) => {
    const res = await call(method, '/api/v1/config');
    expect(res.status).toBe(501);
    expect(res.body).toEqual({ status: 501, message: expect.stringMatching(new RegExp(`^${method} /config is not available\\. .*managed service`)) });
  });
});
