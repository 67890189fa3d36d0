import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SignatureAlgorithm, SignatureEncoding } from '../options.js';
import { buildDefaultSignatureHeader, buildStandardSignatureHeader, decodeStandardSecret } from './signature.js';

interface DefaultVector {
  name: string;
  algorithm: SignatureAlgorithm;
  encoding: SignatureEncoding;
  secrets: string[];
  body: string;
  expected_header: string;
}

interface StandardVector {
  name: string;
  secrets: string[];
  id: string;
  timestamp: number;
  body: string;
  expected_header: string;
}

const vectors = JSON.parse(readFileSync(new URL('./testdata/signature-vectors.json', import.meta.url), 'utf8')) as {
  default_mode: { vectors: DefaultVector[] };
  standard_mode: { vectors: StandardVector[] };
};

describe('signature golden vectors', () => {
  it.each(vectors.default_mode.vectors)('when signing in default mode ($name), then the header matches the vector', (vector) => {
    const header = buildDefaultSignatureHeader({
      body: vector.body,
      secrets: vector.secrets,
      algorithm: vector.algorithm,
      encoding: vector.encoding,
    });

    expect(header).toBe(vector.expected_header);
  });

  it.each(vectors.standard_mode.vectors)('when signing in standard mode ($name), then the header matches the vector', (vector) => {
    const keys = vector.secrets.map((secret) => decodeStandardSecret(secret)!);

    const header = buildStandardSignatureHeader({ id: vector.id, timestamp: vector.timestamp, body: vector.body, keys });

    expect(header).toBe(vector.expected_header);
  });

  it('when the vector file is loaded, then it includes the published Standard Webhooks example', () => {
    expect(vectors.standard_mode.vectors.map((vector) => vector.expected_header)).toContain(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });
});

describe('signature edge cases', () => {
  it('when there is no secret, then no signature header is produced', () => {
    expect(buildDefaultSignatureHeader({ body: '{}', secrets: [], algorithm: 'hmac-sha256', encoding: 'hex' })).toBeUndefined();
    expect(buildStandardSignatureHeader({ id: 'e', timestamp: 1, body: '{}', keys: [] })).toBeUndefined();
  });

  it.each([
    { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', bytes: 24 },
    { secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', bytes: 24 },
    { secret: 'whsec_AAECAw==', bytes: 4 },
    { secret: 'whsec_', bytes: undefined },
    { secret: 'whsec_not base64!', bytes: undefined },
    { secret: 'whsec_AAECA', bytes: undefined },
    { secret: 'whsec_AAEC-w==', bytes: undefined },
  ])('when decoding the standard secret "$secret", then the key has $bytes bytes', ({ secret, bytes }) => {
    expect(decodeStandardSecret(secret)?.length).toBe(bytes);
  });
});
