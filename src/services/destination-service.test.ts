import { describe, expect, it } from 'vitest';
import { DestinationLimitError, DuplicateDestinationError, TenantNotFoundError } from '../db/errors.js';
import { DestinationValidationError, DestinationVerificationUnavailableError } from '../destinations/errors.js';
import { makeDestination } from '../destinations/testing/fixtures.js';
import type { DestinationProvider, PrepareInput } from '../destinations/types.js';
import { createDestinationService } from './destination-service.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.js';
import { DependencyUnavailableError } from './unavailable.js';

/** Refuses a config without `url`, as the webhook provider does; keeps what it is given otherwise. */
const webhook = {
  prepare: ({ config, credentials }: PrepareInput) => {
    if (!config.url) throw new DestinationValidationError(['config.url is required']);
    return { config, credentials };
  },
} as unknown as DestinationProvider;

/** Verifies `credentials.token` with a pretend remote service: `good` passes and gains a name, `down` cannot be checked. */
const verified = {
  prepare: ({ config, credentials }: PrepareInput) => ({ config, credentials }),
  verify: async (prepared: { config: Record<string, string>; credentials: Record<string, string> }) => {
    if (prepared.credentials['token'] === 'down') throw new DestinationVerificationUnavailableError('verified');
    if (prepared.credentials['token'] !== 'good') throw new DestinationValidationError(['credentials.token is invalid']);
    return { ...prepared, config: { ...prepared.config, source_name: 'Orders' } };
  },
} as unknown as DestinationProvider;

function setup(stored: { create?: () => Promise<never>; updated?: null } = {}) {
  return createDestinationService({
    config: {
      topics: { configured: null, allowWildcards: true },
      ids: { type: 'uuidv4', eventPrefix: 'evt_', destinationPrefix: 'des_' },
      maxDestinationsPerTenant: 2,
    },
    destinations: {
      create: stored.create ?? (async (input) => makeDestination(input)),
      update: async (tenantId, id, fields) => (stored.updated === null ? null : makeDestination({ tenantId, id, ...fields })),
    },
    registry: { get: (type) => ({ webhook, verified })[type] },
  });
}

const valid = { type: 'webhook', topics: ['*'], config: { url: 'https://example.test/hook' } };

async function refusal(action: Promise<unknown>): Promise<unknown> {
  return action.then(() => 'no error', (error: unknown) => error);
}

describe('destination service', () => {
  it('when an admin creates a valid destination, then it is stored with a generated id', async () => {
    const created = await setup().create('tenant_1', valid, 'admin');
    expect(created).toMatchObject({ tenantId: 'tenant_1', type: 'webhook', topics: ['*'], id: expect.stringMatching(/^des_/) });
  });

  it.each([
    ['the type has no provider', { ...valid, type: 'carrier_pigeon' }, ['type is invalid']],
    ['the provider refuses the config', { ...valid, config: {} }, ['config.url is required']],
    ['the topics are missing and it is disabled in the future', { ...valid, topics: undefined, disabledAt: new Date(Date.now() + 60_000) },
      ['topics is required', 'disabled_at cannot be in the future']],
  ])('when %s, then creating it is invalid with each problem', async (_when, input, problems) => {
    const error = await refusal(setup().create('tenant_1', input, 'admin'));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ problems });
  });

  it('when a tenant sets created_at, then creating it is forbidden', async () => {
    const error = await refusal(setup().create('tenant_1', { ...valid, createdAt: new Date(0) }, 'tenant'));
    expect(error).toBeInstanceOf(ForbiddenError);
  });

  it.each([
    ['the id is taken', new DuplicateDestinationError('tenant_1', 'des_1'), 'destination already exists'],
    ['the tenant is at its limit', new DestinationLimitError('tenant_1', 2), 'maximum number of destinations per tenant reached'],
  ])('when %s, then creating it conflicts', async (_when, stored, message) => {
    const error = await refusal(setup({ create: () => Promise.reject(stored) }).create('tenant_1', valid, 'admin'));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ tenantId: 'tenant_1', message, cause: stored });
  });

  it('when the tenant is deleted between the check and the insert, then it is not found', async () => {
    const error = await refusal(setup({ create: () => Promise.reject(new TenantNotFoundError('tenant_1')) }).create('tenant_1', valid, 'admin'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ resource: 'tenant', id: 'tenant_1', message: 'tenant not found' });
  });

  it('when an update changes the type, then it is invalid', async () => {
    const error = await refusal(setup().update(makeDestination({ type: 'webhook' }), { type: 'aws_sqs' }, 'admin'));
    expect(error).toMatchObject({ problems: ['type cannot be updated'] });
  });

  it('when the destination is gone by the time it is updated, then it is not found', async () => {
    const existing = makeDestination({ config: { url: 'https://example.test/hook' } });
    const error = await refusal(setup({ updated: null }).update(existing, { metadata: { team: 'a' } }, 'admin'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ resource: 'destination', id: existing.id, message: 'destination not found' });
  });

  it('when the provider verifies the credentials, then what it answered is stored', async () => {
    const created = await setup().create('tenant_1', { type: 'verified', topics: ['*'], credentials: { token: 'good' } }, 'admin');
    expect(created.config).toEqual({ source_name: 'Orders' });
  });

  it('when the provider\'s service refuses the credentials, then creating it is invalid', async () => {
    const error = await refusal(setup().create('tenant_1', { type: 'verified', topics: ['*'], credentials: { token: 'bad' } }, 'admin'));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ problems: ['credentials.token is invalid'] });
  });

  it('when the provider\'s service cannot be asked, then updating it is unavailable, to be retried', async () => {
    const existing = makeDestination({ type: 'verified', credentials: { token: 'good' } });
    const error = await refusal(setup().update(existing, { credentials: { token: 'down' } }, 'admin'));
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).toMatchObject({ dependency: 'destination_verification', retryAfterSeconds: 5 });
  });
});
