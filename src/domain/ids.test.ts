import { describe, expect, it } from 'vitest';
import { attemptId, generateId } from './ids.js';

describe('ids', () => {
  it('when the same workflow and attempt number are given twice, then the attempt id is the same', () => {
    expect(attemptId('delivery/t/e/d', 3)).toBe(attemptId('delivery/t/e/d', 3));
    expect(attemptId('delivery/t/e/d', 3)).not.toBe(attemptId('delivery/t/e/d', 4));
    expect(attemptId('delivery/t/e/d', 1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each([
    ['uuidv4', /^evt_[0-9a-f]{8}-[0-9a-f]{4}-4/],
    ['uuidv7', /^evt_[0-9a-f]{8}-[0-9a-f]{4}-7/],
    ['nanoid', /^evt_[A-Za-z0-9_-]{21}$/],
  ] as const)('when the id type is %s, then the id has its shape and the prefix', (type, shape) => {
    expect(generateId(type, 'evt_')).toMatch(shape);
  });
});
