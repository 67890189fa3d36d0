import { Agent, request } from 'undici';

/**
 * The floor's one activity: the webhook POST Herald's transport makes (src/destinations/webhook/
 * http-client.ts: one shared undici Agent with keep-alive, `request`, the response body read to
 * the end), with headers shaped like Herald's default mode so the bench receiver identifies the
 * event by `x-outpost-event-id`. No signing, no address policy, no attempt log: those are Herald's.
 */

export interface FloorInput {
  readonly url: string;
  /** Sent as `x-outpost-event-id`; the bench uses the workflow id. */
  readonly eventId: string;
  /** The request body, already JSON. */
  readonly body: string;
}

const KEEP_ALIVE_TIMEOUT_MS = 4_000;
const TIMEOUT_MS = 5_000;

export function createFloorActivities(userAgent: string) {
  const agent = new Agent({ connect: { timeout: TIMEOUT_MS }, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS });
  const activities = {
    /** Resolves with the status of a 2xx answer; throws otherwise, so the local activity retries. */
    async post(input: FloorInput): Promise<number> {
      const response = await request(input.url, {
        dispatcher: agent,
        method: 'POST',
        headers: {
          'content-type': 'application/json', 'user-agent': userAgent,
          'x-outpost-event-id': input.eventId, 'x-outpost-topic': 'bench.event',
          'x-outpost-timestamp': String(Math.floor(Date.now() / 1000)), 'x-outpost-signature': `v0=${'0'.repeat(64)}`,
        },
        body: input.body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.body.text();
      if (response.statusCode < 200 || response.statusCode >= 300) throw new Error(`receiver answered ${response.statusCode}`);
      return response.statusCode;
    },
  };
  return { activities, close: () => agent.close() };
}

export type FloorActivities = ReturnType<typeof createFloorActivities>['activities'];
