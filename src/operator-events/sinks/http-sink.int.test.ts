import { spawnSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '../../runtime/ports.js';
import { SinkError, type OperatorEventSink } from '../types.js';
import { createSink } from './create-sink.js';
import { makeOperatorEvent, recordingLogger } from './sink-test-fixtures.js';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
}

/** A plain node:http receiver on loopback that keeps the raw bytes of every request. */
async function startReceiver(answer: (res: ServerResponse) => void = (res) => res.writeHead(204).end(), port = 0) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, rawBody: Buffer.concat(chunks) });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/operator-events?source=herald`,
    received,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The receiver-side check, exactly as the Python snippet in the brief does it. */
function pythonVerifies(secret: string, signature: string, rawBody: Buffer): boolean {
  const script = [
    'import hashlib, hmac, sys',
    'secret, sig = sys.argv[1], sys.argv[2]',
    'raw_body = sys.stdin.buffer.read()',
    'ok = hmac.compare_digest(sig.removeprefix("v0="), hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest())',
    'sys.exit(0 if ok else 1)',
  ].join('\n');
  const result = spawnSync('python3', ['-c', script, secret, signature], { input: rawBody });
  if (result.error) throw result.error;
  return result.status === 0;
}

/** The same check in Node, written independently of the sink's signer. */
function nodeVerifies(secret: string, signature: string, rawBody: Buffer): boolean {
  const expected = Buffer.from(createHmac('sha256', Buffer.from(secret, 'utf8')).update(rawBody).digest('hex'));
  const given = Buffer.from(signature.replace(/^v0=/, ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function failureOf(promise: Promise<unknown>): Promise<SinkError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SinkError);
  return error as SinkError;
}

describe('HTTP operator-event sink', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  function sinkFor(url: string, extra: { signingSecret?: string; timeoutMs?: number } = {}) {
    const logger = recordingLogger();
    const sink: OperatorEventSink = createSink({ kind: 'http', url, timeoutMs: 5_000, ...extra }, { logger });
    cleanups.push(() => sink.close());
    return { sink, logger };
  }

  it('when a secret is set, then the envelope arrives intact as JSON and X-Outpost-Signature verifies over the raw body', async () => {
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const secret = 'op-secret-ünïcode';
    const { sink } = sinkFor(receiver.url, { signingSecret: secret });
    const event = makeOperatorEvent();

    await sink.send(event);

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.rawBody.toString('utf8'))).toEqual(event);
    const signature = String(request!.headers['x-outpost-signature']);
    expect(signature).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(pythonVerifies(secret, signature, request!.rawBody)).toBe(true);
    expect(nodeVerifies(secret, signature, request!.rawBody)).toBe(true);
    expect(pythonVerifies('another-secret', signature, request!.rawBody)).toBe(false);
  });

  it('when no secret is set, then no signature header is sent', async () => {
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const { sink } = sinkFor(receiver.url);

    await sink.send(makeOperatorEvent('attempt.success'));

    expect(receiver.received[0]!.headers['x-outpost-signature']).toBeUndefined();
  });

  it.each([
    [503, true], [500, true], [408, true], [429, true], [400, false], [401, false], [404, false], [422, false],
  ])('when the endpoint answers %i, then send fails with that code (retryable: %s) and logs it', async (status, retryable) => {
    const receiver = await startReceiver((res) => res.writeHead(status).end('{"error":"nope"}'));
    cleanups.push(receiver.close);
    const { sink, logger } = sinkFor(receiver.url);

    const failure = await failureOf(sink.send(makeOperatorEvent()));

    expect(failure).toMatchObject({ code: String(status), retryable });
    expect(logger.warnings[0]?.fields).toMatchObject({ code: String(status), status });
  });

  it('when the endpoint does not answer in time, then send fails with timeout after about timeoutMs', async () => {
    const receiver = await startReceiver(() => undefined);
    cleanups.push(receiver.close);
    const { sink } = sinkFor(receiver.url, { timeoutMs: 300 });
    const started = Date.now();

    const failure = await failureOf(sink.send(makeOperatorEvent()));

    expect(failure).toMatchObject({ code: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('when the caller aborts, then send fails with aborted', async () => {
    const receiver = await startReceiver(() => undefined);
    cleanups.push(receiver.close);
    const { sink } = sinkFor(receiver.url);

    const failure = await failureOf(sink.send(makeOperatorEvent(), AbortSignal.timeout(100)));

    expect(failure).toMatchObject({ code: 'aborted', retryable: true });
  });

  it('when the endpoint is down, then send fails with connection_refused, and succeeds once it listens again', async () => {
    const port = await freeLoopbackPort();
    const { sink, logger } = sinkFor(`http://127.0.0.1:${port}/events`);
    const event = makeOperatorEvent();

    const failure = await failureOf(sink.send(event));
    expect(failure).toMatchObject({ code: 'connection_refused', retryable: true });
    expect(failure.message).not.toContain('ECONNREFUSED');
    expect(logger.warnings[0]?.fields.err).toBeDefined();

    const receiver = await startReceiver(undefined, port);
    cleanups.push(receiver.close);
    await sink.send(event);
    expect(JSON.parse(receiver.received[0]!.rawBody.toString('utf8'))).toEqual(event);
  });

  it('when the host name does not resolve, then send fails with dns_error', async () => {
    const { sink } = sinkFor('http://herald-sink-test.invalid/events');

    const failure = await failureOf(sink.send(makeOperatorEvent()));

    expect(failure).toMatchObject({ code: 'dns_error', retryable: true });
  });

  it('when the URL is not http(s), then createSink throws invalid_config', () => {
    expect(() => createSink({ kind: 'http', url: 'ftp://example.test/x', timeoutMs: 1_000 }, { logger: recordingLogger() }))
      .toThrow(expect.objectContaining({ code: 'invalid_config', retryable: false }) as Error);
  });

  it('when closed twice, then both resolve and later sends fail with sink_closed', async () => {
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const { sink } = sinkFor(receiver.url);
    await sink.send(makeOperatorEvent());

    await Promise.all([sink.close(), sink.close()]);
    await sink.close();

    expect(await failureOf(sink.send(makeOperatorEvent()))).toMatchObject({ code: 'sink_closed' });
  });
});
