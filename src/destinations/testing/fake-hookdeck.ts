/**
 * A local HTTP server that behaves as the two Hookdeck endpoints a hookdeck destination uses, for
 * tests (the hosted API is never called): `GET <api>/sources/<id>/managed/verify` answers 200 and
 * the source as JSON when `X-Hookdeck-Source-Token` is a token it issued for that source, 401
 * otherwise; `POST <events>/<id>` checks `X-Hookdeck-Signature` (`v0=` + base64 HMAC-SHA256 keyed
 * with the whole token, computed here independently of the provider), records the event and
 * answers 200, or 401 for a bad signature. A source named `stall` never answers.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HookdeckDelivery {
  readonly sourceId: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
}

export interface FakeHookdeck {
  /** `DESTINATIONS_HOOKDECK_API_URL` for this server. */
  readonly apiUrl: string;
  /** `DESTINATIONS_HOOKDECK_EVENTS_URL` for this server. */
  readonly eventsUrl: string;
  /** Creates a managed source and returns its token (base64 of `<id>:<secret>`). */
  issueToken(sourceId: string, name?: string): string;
  /** Every verify call received, in order. */
  readonly verifications: readonly { sourceId: string; token: string | undefined }[];
  readonly deliveries: readonly HookdeckDelivery[];
  /** Deliveries accepted so far, once at least `count` arrived. */
  waitForDeliveries(count: number, timeoutMs?: number): Promise<HookdeckDelivery[]>;
  /** From now on every request is answered with this status (e.g. 500 for an outage); undefined restores. */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function signatureValid(header: string | string[] | undefined, token: string, rawBody: Buffer): boolean {
  const given = Buffer.from(String(header ?? '').replace(/^v0=/, ''), 'base64');
  const expected = createHmac('sha256', Buffer.from(token, 'utf8')).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startFakeHookdeck(): Promise<FakeHookdeck> {
  const sources = new Map<string, { token: string; name: string }>();
  const verifications: { sourceId: string; token: string | undefined }[] = [];
  const deliveries: HookdeckDelivery[] = [];
  let failure: number | undefined;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const verify = /^\/api\/2025-01-01\/sources\/([^/]+)\/managed\/verify$/.exec(path);
      const ingest = /^\/events\/([^/]+)$/.exec(path);
      if (failure !== undefined) return json(res, failure, { message: 'unavailable' });
      if (verify && req.method === 'GET') {
        const sourceId = decodeURIComponent(verify[1]!);
        const token = req.headers['x-hookdeck-source-token'] as string | undefined;
        verifications.push({ sourceId, token });
        const source = sources.get(sourceId);
        if (!source || source.token !== token) return json(res, 401, { message: 'Invalid source token' });
        const now = new Date().toISOString();
        return json(res, 200, { id: sourceId, name: source.name, url: `https://hkdk.events/${sourceId}`, created_at: now, updated_at: now, disabled_at: null });
      }
      if (ingest && req.method === 'POST') {
        const sourceId = decodeURIComponent(ingest[1]!);
        if (sourceId === 'stall') return;
        const source = sources.get(sourceId);
        if (!source) return json(res, 404, { message: 'Source not found' });
        if (!signatureValid(req.headers['x-hookdeck-signature'], source.token, rawBody)) return json(res, 401, { message: 'Invalid signature' });
        deliveries.push({ sourceId, headers: req.headers, rawBody: rawBody.toString('utf8') });
        return json(res, 200, { status: 'SUCCESS', message: 'Request handled' });
      }
      return json(res, 404, { message: 'Not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}/api/2025-01-01`,
    eventsUrl: `${base}/events`,
    issueToken(sourceId, name = `source ${sourceId}`) {
      const token = Buffer.from(`${sourceId}:${createHmac('sha256', 'fake').update(sourceId).digest('hex')}`).toString('base64');
      sources.set(sourceId, { token, name });
      return token;
    },
    verifications,
    deliveries,
    async waitForDeliveries(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (deliveries.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} Hookdeck deliveries, got ${deliveries.length}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return [...deliveries];
    },
    failWith: (status) => void (failure = status),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
