import { describe, expect, it } from 'vitest';
import type { StringMap } from '../../domain/types.js';
import { DestinationValidationError } from '../errors.js';
import { makeDestination } from '../testing/fixtures.js';
import type { PrepareInput } from '../types.js';
import { prepareWebhookDestination, presentWebhookDestination, webhookTarget } from './webhook-prepare.js';

const now = new Date('2024-05-01T10:00:00.000Z');
const settings = { mode: 'default' as const, generate: () => 'whsec_generated' };

function prepare(input: Partial<PrepareInput>) {
  return prepareWebhookDestination({ config: { url: 'https://example.com/hook' }, credentials: {}, role: 'admin', now, ...input }, settings);
}

function issuesOf(config: StringMap, credentials: StringMap = {}): readonly string[] {
  try {
    prepare({ config, credentials });
  } catch (error) {
    if (error instanceof DestinationValidationError) return error.data;
    throw error;
  }
  return [];
}

describe('webhook config validation', () => {
  it.each<{ config: StringMap; issues: string[] }>([
    { config: {}, issues: ['config.url is required'] },
    { config: { url: '' }, issues: ['config.url is required'] },
    { config: { url: 'ftp://example.com' }, issues: ['config.url is invalid'] },
    { config: { url: 'https://user:pass@example.com/' }, issues: ['config.url is invalid'] },
    { config: { url: 'not a url' }, issues: ['config.url is invalid'] },
    { config: { url: 'https://example.com/a b' }, issues: ['config.url is invalid'] },
    { config: { url: 'https://example.com/hook?x=%20', custom_headers: '' }, issues: [] },
    { config: { url: 'http://[::1]:8080/hook' }, issues: [] },
    { config: { url: 'https://example.com', custom_headers: 'nope' }, issues: ['config.custom_headers is invalid'] },
    { config: { url: 'https://example.com', custom_headers: '["a"]' }, issues: ['config.custom_headers is invalid'] },
    {
      config: { url: 'https://example.com', custom_headers: '{"Host":"x","bad name":"y","X-Empty":"","X-Num":1,"X-Ok":"fine"}' },
      issues: [
        'config.custom_headers.Host is forbidden',
        'config.custom_headers.bad name is pattern',
        'config.custom_headers.X-Empty is required',
        'config.custom_headers.X-Num is invalid_type',
      ],
    },
    { config: { url: 'https://example.com', custom_headers: '{"X-A":"line\\nbreak"}' }, issues: ['config.custom_headers.X-A is invalid'] },
  ])('when config is $config, then the issues are $issues', ({ config, issues }) => {
    expect(issuesOf(config)).toEqual(issues);
  });

  it('when both config and credentials are wrong, then every problem is reported at once', () => {
    expect(issuesOf({}, { previous_secret_invalid_at: 'yesterday' })).toEqual([
      'config.url is required',
      'credentials.previous_secret_invalid_at is pattern',
    ]);
  });
});

describe('prepare', () => {
  it('when creating with valid config, then config is kept (unknown keys too) and a secret is generated', () => {
    const result = prepare({ config: { url: 'https://example.com/hook', custom_headers: ' ', extra: 'kept' } });

    expect(result).toEqual({ config: { url: 'https://example.com/hook', extra: 'kept' }, credentials: { secret: 'whsec_generated' } });
  });

  it('when a tenant sets a secret on create, then it is rejected as forbidden', () => {
    expect(() => prepare({ role: 'tenant', credentials: { secret: 'mine' } })).toThrow(
      expect.objectContaining({ data: ['credentials.secret is forbidden'] }),
    );
  });

  it('when a tenant rotates on update, then rotate_secret is not stored and the old secret becomes previous', () => {
    const existing = makeDestination({ config: { url: 'https://example.com/hook' }, credentials: { secret: 'whsec_old' } });

    const result = prepare({ role: 'tenant', existing, credentials: { secret: 'whsec_old', rotate_secret: 'true' } });

    expect(result.credentials).toEqual({
      secret: 'whsec_generated',
      previous_secret: 'whsec_old',
      previous_secret_invalid_at: '2024-05-02T10:00:00Z',
    });
  });
});

describe('present', () => {
  it('when the previous secret is valid, then secrets are shown unmasked with the target host and path', () => {
    const destination = makeDestination({
      config: { url: 'https://hooks.example.com:8443/in/orders?token=secret' },
      credentials: { secret: 'whsec_current', previous_secret: 'whsec_old', previous_secret_invalid_at: '2024-05-01T12:00:00Z' },
    });

    expect(presentWebhookDestination(destination, now)).toEqual({
      credentials: { secret: 'whsec_current', previous_secret: 'whsec_old', previous_secret_invalid_at: '2024-05-01T12:00:00Z' },
      target: 'hooks.example.com:8443/in/orders',
    });
  });

  it('when the previous secret has expired, then it is hidden, and unknown keys are masked', () => {
    const destination = makeDestination({
      config: { url: 'https://example.com/' },
      credentials: { secret: 's', previous_secret: 'p', previous_secret_invalid_at: '2024-05-01T09:00:00Z', legacy_token: 'abcdefghijkl' },
    });

    expect(presentWebhookDestination(destination, now)).toEqual({
      credentials: { secret: 's', legacy_token: 'abcd********' },
      target: 'example.com',
    });
  });

  it.each([
    ['https://example.com/a/b?q=1#f', 'example.com/a/b'],
    ['http://127.0.0.1:3000/', '127.0.0.1:3000'],
    ['garbage', ''],
    [undefined, ''],
  ])('when the url is %s, then the target is "%s"', (url, target) => {
    expect(webhookTarget(url)).toBe(target);
  });
});
