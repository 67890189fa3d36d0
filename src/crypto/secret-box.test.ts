import { describe, expect, it } from 'vitest';
import { SecretBoxOpenError, createSecretBox } from './secret-box.js';

describe('secret box', () => {
  const box = createSecretBox('correct horse battery staple');

  it('when a value is sealed and opened with the same secret, then the plaintext comes back', () => {
    const plaintext = '{"credentials":{"secret":"whsec_123"},"deliveryMetadata":{"ünïcode":"✓"}}';

    expect(box.open(box.seal(plaintext))).toBe(plaintext);
  });

  it('when the same value is sealed twice, then the outputs differ (random IV) and neither contains the plaintext', () => {
    const first = box.seal('whsec_super_secret');
    const second = box.seal('whsec_super_secret');

    expect(first.equals(second)).toBe(false);
    expect(first.includes('whsec_super_secret')).toBe(false);
    expect(first[0]).toBe(1);
    expect(first.length).toBe(1 + 12 + 16 + 'whsec_super_secret'.length);
  });

  it('when an empty string is sealed, then it opens to an empty string', () => {
    expect(box.open(box.seal(''))).toBe('');
  });

  it.each([
    ['the version byte', 0, 'unknown_version'],
    ['an IV byte', 5, 'authentication_failed'],
    ['a tag byte', 20, 'authentication_failed'],
    ['a ciphertext byte', 30, 'authentication_failed'],
  ] as const)('when %s is flipped, then open throws %s', (_part, index, reason) => {
    const sealed = box.seal('some credentials');
    sealed[index] = (sealed[index] ?? 0) ^ 0x01;

    expect(() => box.open(sealed)).toThrowError(expect.objectContaining({ name: 'SecretBoxOpenError', reason }));
  });

  it('when the value is truncated, then open throws malformed', () => {
    const sealed = box.seal('x').subarray(0, 20);

    expect(() => box.open(sealed)).toThrowError(SecretBoxOpenError);
    expect(() => box.open(sealed)).toThrowError(/malformed/);
  });

  it('when a value is opened with another secret, then open throws', () => {
    const other = createSecretBox('another secret');

    expect(() => other.open(box.seal('credentials'))).toThrowError(/authentication failed/);
  });

  it('when the secret is empty, then creating the box throws', () => {
    expect(() => createSecretBox('')).toThrowError(/must not be empty/);
  });
});
