import { Pool } from 'undici';
import { now } from '../clock.js';
import type { Ledger } from '../ledger.js';
import type { Publisher } from '../load.js';

/**
 * The bench's side of the floor: `POST /start` to the floor process through one keep-alive undici
 * Pool, timed like a Herald publish (t1 when the request is handed to undici, t2 at the 202 head),
 * and recorded in the same Ledger, so the closed loop and the receiver treat both alike.
 */

export class FloorClient {
  private readonly pool: Pool;
  private starts = 0;
  private eager = 0;

  constructor(origin: string, connections: number) {
    this.pool = new Pool(origin, { connections, keepAliveTimeout: 30_000, pipelining: 1 });
  }

  /** A Publisher whose events are floor workflows POSTing to `url` (a receiver route of `tag`). */
  publisher(options: { ledger: Ledger; tag: string; url: string; payloadBytes: number; nextId: () => string }): Publisher {
    const padding = 'x'.repeat(Math.max(0, options.payloadBytes - 60));
    return {
      publish: async (t0) => {
        const id = options.nextId();
        const payload = JSON.stringify({ workflowId: id, url: options.url, body: JSON.stringify({ seq: id, t0, padding }) });
        const t1 = now();
        try {
          const res = await this.pool.request({ method: 'POST', path: '/start', headers: { 'content-type': 'application/json' }, body: payload });
          const t2 = now();
          const text = await res.body.text();
          if (res.statusCode !== 202) {
            options.ledger.rejectPublish(`${res.statusCode} ${text.slice(0, 200)}`);
            return { delivered: Promise.resolve() };
          }
          this.starts += 1;
          if ((JSON.parse(text) as { eagerly_started?: boolean }).eagerly_started === true) this.eager += 1;
          return { delivered: options.ledger.accept({ id, t0, t1, t2, tags: [options.tag] }) };
        } catch (error) {
          options.ledger.rejectPublish(String(error));
          return { delivered: Promise.resolve() };
        }
      },
    };
  }

  /** Starts answered 202 since the last reset, and how many of them the SDK reported as eagerly started. */
  eagerCounts(): { starts: number; eager: number } {
    return { starts: this.starts, eager: this.eager };
  }

  resetEagerCounts(): void {
    this.starts = 0;
    this.eager = 0;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
