import { createHash, randomBytes, randomUUID } from 'node:crypto';

export type IdType = 'uuidv4' | 'uuidv7' | 'nanoid';

const nanoAlphabet = 'useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict';

function uuidv7(): string {
  const bytes = randomBytes(16);
  const ms = BigInt(Date.now());
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}

function nanoid(size = 21): string {
  const bytes = randomBytes(size);
  let id = '';
  for (const b of bytes) id += nanoAlphabet[b & 63];
  return id;
}

function formatUuid(b: Uint8Array): string {
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A new id for events and destinations, per IDGEN_TYPE, with the configured prefix. */
export function generateId(type: IdType, prefix = ''): string {
  const raw = type === 'uuidv7' ? uuidv7() : type === 'nanoid' ? nanoid() : randomUUID();
  return prefix + raw;
}

/**
 * The id of one send of an attempt: a function of the delivery workflow, the attempt number and
 * the send, so every process computes the same id for the same send. The first send keeps the
 * form ids had before sends were numbered. Formatted as an RFC 9562 v8 UUID.
 */
export function attemptId(deliveryWorkflowId: string, attemptNumber: number, sendSeq = 1): string {
  const key = sendSeq === 1 ? `${deliveryWorkflowId}#${attemptNumber}` : `${deliveryWorkflowId}#${attemptNumber}#${sendSeq}`;
  const digest = createHash('sha256').update(key).digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return formatUuid(bytes);
}
