import { describe, expect, it } from 'vitest';
import { InvalidCursorError, decodeCursor, encodeCursor } from './cursor.js';

/** Base62 of raw text, written independently of the module so forged cursors can be built. */
function base62(text: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let value = BigInt(`0x${Buffer.from(text, 'utf8').toString('hex')}`);
  let out = '';
  while (value > 0n) {
    out = alphabet[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out;
}

describe('cursor', () => {
  it('when a position is encoded, then the cursor is plain base62 of "<resource>v01:<position>" and decodes back', () => {
    const position = '["2025-01-01T00:00:00.123456Z","évt:1","t|2"]';

    const cursor = encodeCursor('evt', position);

    expect(cursor).toMatch(/^[0-9A-Za-z]+$/);
    expect(cursor).toBe(base62(`evtv01:${position}`));
    expect(decodeCursor('evt', cursor)).toBe(position);
  });

  it('when the position is empty, then it still round-trips', () => {
    expect(decodeCursor('atm', encodeCursor('atm', ''))).toBe('');
  });

  it.each([
    ['an empty string', ''],
    ['non-base62 characters', 'abc-def=='],
    ['base62 of random text', base62('hello world')],
    ['an over-long cursor', 'a'.repeat(5000)],
  ])('when the cursor is %s, then decoding throws InvalidCursorError', (_what, cursor) => {
    expect(() => decodeCursor('evt', cursor)).toThrowError(InvalidCursorError);
  });

  it('when the cursor belongs to another resource, then decoding throws', () => {
    expect(() => decodeCursor('evt', encodeCursor('atm', 'x'))).toThrowError(/another resource/);
  });

  it('when the cursor has another version, then decoding throws', () => {
    expect(() => decodeCursor('evt', base62('evtv02:x'))).toThrowError(/unsupported cursor version v02/);
  });
});
