import { describe, expect, it } from 'vitest';
import { kafkaClusterId } from './kafka-server.js';

describe('kafkaClusterId', () => {
  it('when the random bytes would encode to an id starting with "-", then it draws again', () => {
    // 0xf8 as the first byte encodes to "-" in base64url.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x11)];
    const id = kafkaClusterId(() => draws.shift()!);
    expect(id).toBe(Buffer.alloc(16, 0x11).toString('base64url'));
    expect(draws).toHaveLength(0);
  });

  it('when drawn at random, then every id is 22 base64url characters and none starts with "-"', () => {
    for (let i = 0; i < 2000; i++) expect(kafkaClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});
