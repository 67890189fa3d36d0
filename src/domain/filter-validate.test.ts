import { describe, expect, it } from 'vitest';
import { validateFilter } from './filter.js';

describe('validateFilter', () => {
  it.each([
    { when: 'the filter is null', filter: null },
    { when: 'the filter is absent', filter: undefined },
    { when: 'the filter is empty', filter: {} },
    { when: 'plain nested values are used', filter: { data: { order: { status: 'paid', tags: ['a', 1, null] } } } },
    { when: 'every value operator has a valid operand', filter: { data: {
      a: { $eq: { any: ['json'] } }, b: { $neq: null }, c: { $gt: 1, $lte: '2024-01-01T00:00:00Z' },
      d: { $gte: 0, $lt: 'z' }, e: { $in: ['x', 2] }, f: { $nin: 'sub' }, g: { $startsWith: 'a' },
      h: { $endsWith: ['a', 'b'] }, i: { $exist: false },
    } } },
    { when: '$or, $and and $not hold conditions', filter: {
      $or: [{ topic: 'a' }, { data: { n: { $or: [1, 5] } } }], $and: [], $not: { data: { $not: { x: 1 } } },
    } },
    { when: 'array items are schemas with valid operators', filter: { data: { items: [{ qty: { $gt: 1 } }] } } },
    { when: 'an $eq operand contains $-keys (a literal, not a schema)', filter: { data: { o: { $eq: { $ref: 1 } } } } },
  ])('when $when, then it returns no errors', ({ filter }) => {
    expect(validateFilter(filter)).toEqual([]);
  });

  it.each([
    { when: 'the filter is a string', filter: 'x', errors: ['filter must be an object or null'] },
    { when: 'the filter is an array', filter: [{}], errors: ['filter must be an object or null'] },
    { when: '$gt has a boolean', filter: { data: { amount: { $gt: true } } },
      errors: ['filter.data.amount.$gt must be a number or string'] },
    { when: '$lte has an array', filter: { time: { $lte: [1] } }, errors: ['filter.time.$lte must be a number or string'] },
    { when: '$in has a number', filter: { data: { id: { $in: 5 } } }, errors: ['filter.data.id.$in must be an array or string'] },
    { when: '$nin has an object', filter: { data: { id: { $nin: {} } } },
      errors: ['filter.data.id.$nin must be an array or string'] },
    { when: '$startsWith lists a number', filter: { data: { s: { $startsWith: ['a', 1] } } },
      errors: ['filter.data.s.$startsWith must be a string or an array of strings'] },
    { when: '$endsWith has null', filter: { data: { s: { $endsWith: null } } },
      errors: ['filter.data.s.$endsWith must be a string or an array of strings'] },
    { when: '$exist has a string', filter: { data: { s: { $exist: 'true' } } }, errors: ['filter.data.s.$exist must be a boolean'] },
    { when: '$or is an object', filter: { $or: { topic: 'a' } }, errors: ['filter.$or must be an array of conditions'] },
    { when: '$and is a string', filter: { data: { $and: 'x' } }, errors: ['filter.data.$and must be an array of conditions'] },
    { when: '$not is an array', filter: { $not: [{ topic: 'a' }] }, errors: ['filter.$not must be an object'] },
    { when: '$ref is used (not supported by Outpost)', filter: { data: { a: { $ref: 'b' } } },
      errors: ['filter.data.a.$ref is not a supported operator'] },
    { when: 'an operator is misspelled', filter: { data: { a: { $regex: 'x' } } },
      errors: ['filter.data.a.$regex is not a supported operator'] },
    { when: 'a bad operand sits inside $or', filter: { $or: [{ topic: 'a' }, { data: { n: { $gt: null } } }] },
      errors: ['filter.$or[1].data.n.$gt must be a number or string'] },
    { when: 'a bad operand sits inside $not', filter: { $not: { data: { n: { $exist: 1 } } } },
      errors: ['filter.$not.data.n.$exist must be a boolean'] },
    { when: 'a bad operand sits in an array item', filter: { data: { items: [{ q: { $lt: {} } }] } },
      errors: ['filter.data.items[0].q.$lt must be a number or string'] },
    { when: 'several problems exist', filter: { data: { a: { $gt: null }, b: { $foo: 1 } } },
      errors: ['filter.data.a.$gt must be a number or string', 'filter.data.b.$foo is not a supported operator'] },
  ])('when $when, then it reports $errors', ({ filter, errors }) => {
    expect(validateFilter(filter)).toEqual(errors);
  });
});
