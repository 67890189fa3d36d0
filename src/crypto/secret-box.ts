import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption for secrets at rest (destination credentials and delivery metadata).
 *
 * Sealed format, version 1: `0x01 | iv (12 bytes) | GCM tag (16 bytes) | ciphertext`, AES-256-GCM
 * with a key derived from the configured secret by HKDF-SHA256. The leading version byte lets a
 * later format (or key rotation) coexist with rows sealed today.
 */
export interface SecretBox {
  seal(plaintext: string): Buffer;
  open(sealed: Buffer): string;
}

/** Thrown by `open` when a sealed value is malformed, of an unknown version, tampered with, or sealed with another key. */
export class SecretBoxOpenError extends Error {
  override readonly name = 'SecretBoxOpenError';

  constructor(readonly reason: 'malformed' | 'unknown_version' | 'authentication_failed') {
    super(`cannot open sealed secret: ${reason.replaceAll('_', ' ')}`);
  }
}

const VERSION_1 = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
const HKDF_INFO = 'herald/secret-box/v1/aes-256-gcm';

export function createSecretBox(secret: string): SecretBox {
  if (secret.length === 0) {
    throw new Error('secret-box: the encryption secret must not be empty');
  }
  const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), HKDF_INFO, 32));

  return {
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.of(VERSION_1), iv, cipher.getAuthTag(), ciphertext]);
    },

    open(sealed) {
      if (sealed.length < HEADER_BYTES) {
        throw new SecretBoxOpenError('malformed');
      }
      if (sealed[0] !== VERSION_1) {
        throw new SecretBoxOpenError('unknown_version');
      }
      const iv = sealed.subarray(1, 1 + IV_BYTES);
      const tag = sealed.subarray(1 + IV_BYTES, HEADER_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxOpenError('authentication_failed');
      }
    },
  };
}
