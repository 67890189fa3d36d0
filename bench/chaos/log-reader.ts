import { setTimeout as delay } from 'node:timers/promises';
import { request } from 'undici';

/**
 * Reads Herald's attempt log and event log for one tenant through the public API, every page:
 * `GET /attempts` and `GET /events` at the contract's largest page (1000), following the `next`
 * cursor until it is null. A page that fails (the API restarting) is asked again, for a minute by default.
 */

export const PAGE_LIMIT = 1000;

export interface AttemptRow {
  readonly id: string;
  readonly event_id: string;
  readonly destination_id: string;
  readonly attempt_number: number;
  readonly status: string;
  readonly code: string;
  readonly manual: boolean;
  readonly time: string;
}

export interface EventRow {
  readonly id: string;
  readonly matched_destination_ids: string[];
  readonly time: string;
}

async function getJson(url: string, patienceMs: number): Promise<any> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    try {
      const res = await request(url, { headersTimeout: 30_000, bodyTimeout: 30_000 });
      const text = await res.body.text();
      if (res.statusCode === 200) return JSON.parse(text);
      if (res.statusCode < 500 || Date.now() > deadline) throw new Error(`GET ${url} → ${res.statusCode} ${text.slice(0, 200)}`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await delay(1_000);
  }
}

async function readAll<T>(origin: string, path: string, tenantId: string, patienceMs: number): Promise<T[]> {
  const rows: T[] = [];
  let next: string | null = null;
  do {
    const query = new URLSearchParams({ tenant_id: tenantId, limit: String(PAGE_LIMIT), ...(next ? { next } : {}) });
    const page = (await getJson(`${origin}/api/v1${path}?${query.toString()}`, patienceMs)) as { models: T[]; pagination: { next: string | null } };
    rows.push(...page.models);
    next = page.pagination.next;
  } while (next);
  return rows;
}

/** `patienceMs`: how long a failing page is asked again before giving up. */
export function readAttempts(origin: string, tenantId: string, patienceMs = 60_000): Promise<AttemptRow[]> {
  return readAll<AttemptRow>(origin, '/attempts', tenantId, patienceMs);
}

export function readEvents(origin: string, tenantId: string, patienceMs = 60_000): Promise<EventRow[]> {
  return readAll<EventRow>(origin, '/events', tenantId, patienceMs);
}
