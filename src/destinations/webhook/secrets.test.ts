import { describe, expect, it } from 'vitest';
import type { StringMap } from '../../domain/types.js';
import {
  activeSigningSecrets,
  createSecretGenerator,
  isTruthy,
  isValidStandardSecret,
  resolveWebhookCredentials,
  visibleCredentials,
} from './secrets.js';
import type { SecretPolicyInput } from './secrets.js';

const now = new Date('2024-05-01T10:00:00.000Z');
const tomorrow = '2024-05-02T10:00:00Z';
const STORED = { secret: 'whsec_current', previous_secret: 'whsec_old', previous_secret_invalid_at: '2024-05-01T12:00:00Z' };

function resolve(overrides: Partial<SecretPolicyInput>) {
  return resolveWebhookCredentials({
    credentials: {},
    role: 'admin',
    existing: undefined,
    now,
    mode: 'default',
    generate: () => 'whsec_generated',
    ...overrides,
  });
}

describe('secret generation', () => {
  it('when generating in default mode, then the secret is whsec_ and 64 hex characters', () => {
    expect(createSecretGenerator('default')()).toMatch(/^whsec_[0-9a-f]{64}$/);
  });

  it('when generating in standard mode, then the secret is whsec_ and base64 of 32 bytes', () => {
    const secret = createSecretGenerator('standard')();

    expect(isValidStandardSecret(secret)).toBe(true);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
  });

  it('when generating twice, then the secrets differ', () => {
    const generate = createSecretGenerator('default');

    expect(generate()).not.toBe(generate());
  });

  it.each([
    ['true', true], ['TRUE', true], ['1', true], ['on', true], ['yes', true],
    ['false', false], ['0', false], ['', false], [undefined, false], ['maybe', false],
  ])('when rotate_secret is %s, then truthy is %s', (value, expected) => {
    expect(isTruthy(value)).toBe(expected);
  });
});

describe('creating a destination', () => {
  it('when no credentials are given, then a secret is generated', () => {
    expect(resolve({})).toEqual({ ok: true, credentials: { secret: 'whsec_generated' } });
  });

  it('when an admin supplies a secret, then it is kept', () => {
    expect(resolve({ credentials: { secret: 'my-secret' } })).toEqual({ ok: true, credentials: { secret: 'my-secret' } });
  });

  it('when an admin supplies a previous secret without expiry, then it expires in 24 hours', () => {
    const result = resolve({ credentials: { secret: 's', previous_secret: 'p' } });

    expect(result).toEqual({ ok: true, credentials: { secret: 's', previous_secret: 'p', previous_secret_invalid_at: tomorrow } });
  });

  it('when an expiry is given without a previous secret, then previous_secret is required', () => {
    const result = resolve({ credentials: { secret: 's', previous_secret_invalid_at: tomorrow } });

    expect(result).toEqual({ ok: false, issues: ['credentials.previous_secret is required'] });
  });

  it('when a previous secret is given without a current one, then secret is required', () => {
    expect(resolve({ credentials: { previous_secret: 'p' } })).toEqual({ ok: false, issues: ['credentials.secret is required'] });
  });

  it('when a tenant supplies any secret field, then each one is forbidden', () => {
    const result = resolve({ role: 'tenant', credentials: { secret: 's', previous_secret: 'p' } });

    expect(result).toEqual({ ok: false, issues: ['credentials.secret is forbidden', 'credentials.previous_secret is forbidden'] });
  });

  it('when a tenant supplies nothing, then a secret is generated', () => {
    expect(resolve({ role: 'tenant' })).toEqual({ ok: true, credentials: { secret: 'whsec_generated' } });
  });

  it('when rotation is requested on create, then rotate_secret is invalid', () => {
    expect(resolve({ credentials: { rotate_secret: 'true' } })).toEqual({ ok: false, issues: ['credentials.rotate_secret is invalid'] });
  });

  it('when unknown credential keys are sent, then they are not stored', () => {
    expect(resolve({ credentials: { secret: 's', extra: 'x', rotate_secret: 'false' } })).toEqual({ ok: true, credentials: { secret: 's' } });
  });

  it.each([
    { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', ok: true },
    { secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', ok: false },
    { secret: 'whsec_AAECAw==', ok: false },
    { secret: 'whsec_%%%%', ok: false },
  ])('when an admin sets "$secret" in standard mode, then ok is $ok', ({ secret, ok }) => {
    expect(resolve({ mode: 'standard', credentials: { secret } }).ok).toBe(ok);
  });
});

describe('updating a destination', () => {
  const merged = (patch: StringMap): StringMap => ({ ...STORED, ...patch });

  it('when a tenant resends the stored values, then they are kept', () => {
    const result = resolve({ role: 'tenant', existing: STORED, credentials: merged({ previous_secret_invalid_at: '2024-05-01T14:00:00+02:00' }) });

    expect(result).toEqual({ ok: true, credentials: STORED });
  });

  it('when a tenant changes the secret, then it is forbidden', () => {
    const result = resolve({ role: 'tenant', existing: STORED, credentials: merged({ secret: 'mine' }) });

    expect(result).toEqual({ ok: false, issues: ['credentials.secret is forbidden'] });
  });

  it('when rotating, then the current secret becomes previous for 24 hours and a new one is generated', () => {
    const result = resolve({ role: 'tenant', existing: STORED, credentials: merged({ rotate_secret: 'yes' }) });

    expect(result).toEqual({
      ok: true,
      credentials: { secret: 'whsec_generated', previous_secret: 'whsec_current', previous_secret_invalid_at: tomorrow },
    });
  });

  it('when rotating with an explicit expiry, then that expiry is used', () => {
    const result = resolve({ existing: STORED, credentials: merged({ rotate_secret: 'true', previous_secret_invalid_at: '2024-05-01T11:00:00Z' }) });

    expect(result).toMatchObject({ ok: true, credentials: { previous_secret_invalid_at: '2024-05-01T11:00:00Z' } });
  });

  it('when an admin replaces the secret, then the new one is kept with the stored previous pair', () => {
    const result = resolve({ existing: STORED, credentials: merged({ secret: 'whsec_new' }) });

    expect(result).toEqual({ ok: true, credentials: { ...STORED, secret: 'whsec_new' } });
  });

  it('when a standard-mode destination keeps a secret set under default mode, then it is not re-validated', () => {
    const existing = { secret: 'legacy-plain-secret' };

    expect(resolve({ mode: 'standard', existing, credentials: { ...existing } }).ok).toBe(true);
  });
});

describe('which secrets sign and show', () => {
  it('when the previous secret is still valid, then both sign, current first', () => {
    expect(activeSigningSecrets(STORED, now)).toEqual(['whsec_current', 'whsec_old']);
  });

  it('when the previous secret has expired, then only the current one signs and the previous is hidden', () => {
    const later = new Date('2024-05-01T12:00:00.000Z');

    expect(activeSigningSecrets(STORED, later)).toEqual(['whsec_current']);
    expect(visibleCredentials(STORED, later)).toEqual({ secret: 'whsec_current' });
  });

  it('when the expiry is unreadable, then the previous secret does not sign', () => {
    expect(activeSigningSecrets({ ...STORED, previous_secret_invalid_at: 'garbage' }, now)).toEqual(['whsec_current']);
  });
});
