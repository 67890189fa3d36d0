import { InvalidCursorError } from './errors.js';

/**
 * Opaque keyset cursors: base62 of `"<resource>v<NN>:<position>"`, as the Outpost contract
 * describes. The resource prefix (`evt`, `atm`, …) stops a cursor from one list being replayed on
 * another; the version lets the position format change without misreading old cursors.
 */

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = 62n;
const CURRENT_VERSION = 'v01';
/** Bounds the BigInt work a hostile cursor can cause; real cursors are well under 1 KiB. */
const MAX_CURSOR_LENGTH = 2048;

export function encodeCursor(resource: string, position: string): string {
  return toBase62(Buffer.from(`${resource}${CURRENT_VERSION}:${position}`, 'utf8'));
}

/** Returns the position encoded in `cursor`; throws `InvalidCursorError` when it is not a current cursor for `resource`. */
export function decodeCursor(resource: string, cursor: string): string {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[0-9A-Za-z]+$/.test(cursor)) {
    throw new InvalidCursorError(resource, 'not a base62 string');
  }
  const text = fromBase62(cursor).toString('utf8');
  const header = /^([a-z]+)v(\d{2}):/.exec(text);
  if (!header) {
    throw new InvalidCursorError(resource, 'unrecognised format');
  }
  if (header[1] !== resource) {
    throw new InvalidCursorError(resource, 'cursor belongs to another resource');
  }
  if (`v${header[2]}` !== CURRENT_VERSION) {
    throw new InvalidCursorError(resource, `unsupported cursor version v${header[2]}`);
  }
  return text.slice(header[0].length);
}

function toBase62(bytes: Buffer): string {
  let value = bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (value > 0n) {
    out = ALPHABET[Number(value % BASE)] + out;
    value /= BASE;
  }
  // Leading zero bytes vanish in the integer; keep one '0' per byte so the encoding is lossless.
  const leadingZeros = bytes.findIndex((byte) => byte !== 0);
  return '0'.repeat(leadingZeros === -1 ? bytes.length : leadingZeros) + out;
}

function fromBase62(text: string): Buffer {
  let value = 0n;
  let leadingZeros = 0;
  let significant = false;
  for (const char of text) {
    const digit = ALPHABET.indexOf(char);
    if (!significant && digit === 0) {
      leadingZeros += 1;
      continue;
    }
    significant = true;
    value = value * BASE + BigInt(digit);
  }
  const hex = value === 0n ? '' : value.toString(16);
  return Buffer.concat([Buffer.alloc(leadingZeros), Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex')]);
}

export { InvalidCursorError } from './errors.js';
