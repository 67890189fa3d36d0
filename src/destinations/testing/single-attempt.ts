/**
 * Helpers for provider integration tests: one attempt through a provider, an address nothing
 * listens on, a stalling server for the whole file, and waiting for collected messages.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Destination } from '../../domain/types.js';
import { freeLoopbackPort } from '../../runtime/ports.js';
import type { DeliveryEvent, DestinationProvider, PublishResult } from '../types.js';
import { makeEvent } from './fixtures.js';
import { startStallingServer, type StallingServer } from './stalling-server.js';

/** Publishes one event (a fresh one unless given) and closes the provider: the result of that attempt. */
export async function publishOnce(
  provider: DestinationProvider,
  destination: Destination,
  { event = makeEvent(), timeoutMs = 5_000 }: { event?: DeliveryEvent; timeoutMs?: number } = {},
): Promise<PublishResult> {
  try {
    return await provider.publish({ event, destination, signal: AbortSignal.timeout(timeoutMs) });
  } finally {
    await provider.close();
  }
}

/** `127.0.0.1:<port>` of a loopback port that was free a moment ago: a connection to it is refused. */
export async function closedLoopbackAddress(): Promise<string> {
  return `127.0.0.1:${await freeLoopbackPort()}`;
}

/** A stalling server started before the file's tests and closed after them; read it inside a test. */
export function useStallingServer(): Pick<StallingServer, 'url'> {
  let stalling: StallingServer | undefined;
  beforeAll(async () => {
    stalling = await startStallingServer();
  });
  afterAll(() => stalling?.close());
  return {
    get url() {
      if (!stalling) throw new Error('the stalling server is read before the tests started it');
      return stalling.url;
    },
  };
}

/** `messages` (filled by a consumer callback) once it holds `count`; throws when they do not arrive in time. */
export async function waitForCount<T>(messages: T[], count: number, timeoutMs: number): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  while (messages.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (messages.length < count) throw new Error(`only ${messages.length} of ${count} messages arrived`);
  return messages;
}
