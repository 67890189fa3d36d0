import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { inject } from 'vitest';
import { createTestDatabase } from '../../../test/harness/postgres.js';
import type { Attempt } from '../../domain/types.js';
import type { NewDestination } from '../destination-repository.js';
import type { NewEvent } from '../event-repository.js';
import { createPool } from '../pool.js';

/** Builders and setup shared by the data layer's integration tests. */

/** A pool on a fresh, migrated database of the run's test Postgres. */
export async function createTestPool(): Promise<pg.Pool> {
  return createPool(await createTestDatabase(inject('databaseAdminUrl')), { max: 12 });
}

export function uniqueId(prefix: string): string {
  return `${prefix}_${randomUUID().slice(0, 8)}`;
}

export function aDestination(tenantId: string, overrides: Partial<NewDestination> = {}): NewDestination {
  return {
    id: uniqueId('des'),
    tenantId,
    type: 'webhook',
    topics: ['user.created'],
    filter: null,
    config: { url: 'https://example.test/hook' },
    credentials: { secret: 'whsec_plaintext_credential' },
    deliveryMetadata: { 'x-source': 'plaintext-delivery-metadata' },
    metadata: { team: 'payments' },
    ...overrides,
  };
}

export function anEvent(tenantId: string, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: uniqueId('evt'),
    tenantId,
    topic: 'user.created',
    time: new Date('2025-01-01T00:00:00.000Z'),
    eligibleForRetry: true,
    metadata: {},
    data: { hello: 'world' },
    destinationId: null,
    matchedDestinationIds: ['des_1'],
    ...overrides,
  };
}

export function anAttempt(tenantId: string, overrides: Partial<Attempt> = {}): Attempt {
  return {
    id: uniqueId('atm'),
    tenantId,
    eventId: 'evt_1',
    destinationId: 'des_1',
    destinationType: 'webhook',
    attemptNumber: 1,
    manual: false,
    status: 'success',
    code: '200',
    responseData: { status: 200, body: 'ok' },
    time: new Date('2025-01-01T00:00:00.000Z'),
    exhaustedRetries: false,
    ...overrides,
  };
}

/** Walks a keyset list to the end with `next`, returning each page's ids and cursors. */
export async function collectPages<T extends { id: string }>(
  fetchPage: (cursor: { next?: string; prev?: string }) => Promise<{ models: T[]; next: string | null; prev: string | null }>,
): Promise<{ ids: string[]; next: string | null; prev: string | null }[]> {
  const pages: { ids: string[]; next: string | null; prev: string | null }[] = [];
  let next: string | undefined;
  do {
    const page = await fetchPage(next ? { next } : {});
    pages.push({ ids: page.models.map((model) => model.id), next: page.next, prev: page.prev });
    next = page.next ?? undefined;
  } while (next && pages.length < 100);
  return pages;
}
