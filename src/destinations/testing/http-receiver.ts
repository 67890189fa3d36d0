/**
 * A real `node:http` receiver on 127.0.0.1 (port 0) for provider tests: records every request
 * with its raw body and answers per path as told.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
}

export interface Reply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Send the body as these chunks with chunked transfer encoding (no Content-Length). */
  readonly chunks?: readonly string[];
  /** Wait before answering. */
  readonly delayMs?: number;
  /** Never answer (the client must time out). */
  readonly stall?: boolean;
}

export interface HttpReceiver {
  readonly port: number;
  url(path?: string): string;
  /** Sets how a path answers; default is 200 `ok`. */
  reply(path: string, reply: Reply): void;
  readonly requests: readonly ReceivedRequest[];
  /** Resolves once `count` requests arrived (rejects after `timeoutMs`). */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, reply: Reply): void {
  if (reply.stall) return;
  const send = () => {
    res.writeHead(reply.status ?? 200, reply.headers ?? { 'content-type': 'text/plain' });
    for (const chunk of reply.chunks ?? []) res.write(chunk);
    res.end(reply.chunks ? undefined : (reply.body ?? 'ok'));
  };
  if (reply.delayMs) setTimeout(send, reply.delayMs);
  else send();
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const replies = new Map<string, Reply>();
  const server = createServer((req, res) => {
    void readBody(req).then((rawBody) => {
      const path = req.url ?? '/';
      requests.push({ method: req.method ?? '', path, headers: req.headers, rawBody });
      answer(res, replies.get(path) ?? {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    port,
    url: (path = '/') => `http://127.0.0.1:${port}${path}`,
    reply: (path, reply) => void replies.set(path, reply),
    requests,
    async waitForRequests(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${requests.length}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return [...requests];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
