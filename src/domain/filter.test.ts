import { describe, expect, it } from 'vitest';
import { matchFilter, toFilterTime } from './filter.js';
import type { FilterSubject } from './filter.js';

type Row = { when: string; filter: Record<string, unknown> | null | undefined; data: unknown; expected: boolean };

const subject = (data: unknown): FilterSubject => ({
  id: 'evt_1',
  topic: 'order.created',
  time: '2024-05-01T10:00:00Z',
  metadata: { source: 'shop' },
  data,
});

const row = (when: string, filter: Row['filter'], data: unknown, expected: boolean): Row => ({ when, filter, data, expected });
const onData = (when: string, schema: unknown, data: unknown, expected: boolean): Row =>
  row(when, { data: schema }, data, expected);

const basics: Row[] = [
  row('the filter is null', null, {}, true),
  row('the filter is undefined', undefined, {}, true),
  row('the filter is empty', {}, {}, true),
  row('the topic is filtered by equality', { topic: 'order.created' }, {}, true),
  row('the topic differs', { topic: 'order.updated' }, {}, false),
  row('the id is filtered', { id: 'evt_1' }, {}, true),
  row('metadata is filtered', { metadata: { source: 'shop' } }, {}, true),
  row('a metadata key is missing', { metadata: { region: 'eu' } }, {}, false),
  row('time is after the bound (RFC 3339 compares as text)', { time: { $gt: '2024-04-30T23:59:59Z' } }, {}, true),
  row('time is before the bound', { time: { $lt: '2024-05-01T09:59:59Z' } }, {}, false),
  row('several keys all hold (implicit AND)', { topic: 'order.created', data: { type: 'a' } }, { type: 'a' }, true),
  row('one of several keys fails', { topic: 'order.created', data: { type: 'b' } }, { type: 'a' }, false),
  row('data is not an object, it is seen as {}', { data: { $exist: true } }, [1, 2], true),
  row('data is null and a field is required', { data: { type: 'a' } }, null, false),
  row('an unknown top-level key is filtered', { tenant_id: 't1' }, {}, false),
];

const values: Row[] = [
  onData('a nested value is equal', { order: { status: 'paid' } }, { order: { status: 'paid', id: 1 } }, true),
  onData('a nested value differs', { order: { status: 'paid' } }, { order: { status: 'open' } }, false),
  onData('a field is missing', { status: 'paid' }, {}, false),
  onData('types differ (number vs string)', { amount: '10' }, { amount: 10 }, false),
  onData('the field is null and the filter is null', { x: null }, { x: null }, true),
  onData('the field is null and the filter is false', { x: false }, { x: null }, false),
  onData('an object is compared with a scalar', { x: 1 }, { x: { y: 1 } }, false),
  onData('a scalar is compared with an object schema', { x: { y: 1 } }, { x: 1 }, false),
  onData('an array contains the scalar', { tags: 'vip' }, { tags: ['new', 'vip'] }, true),
  onData('an array lacks the scalar', { tags: 'vip' }, { tags: ['new'] }, false),
  onData('a nested array contains the scalar', { n: 3 }, { n: [[1, 2], [3]] }, true),
  onData('an array filter is fully contained', { tags: ['a', 'b'] }, { tags: ['b', 'c', 'a'] }, true),
  onData('an array filter is partly contained', { tags: ['a', 'z'] }, { tags: ['a', 'b'] }, false),
  onData('an array filter meets a scalar', { tags: ['a'] }, { tags: 'a' }, false),
  onData('an object schema matches some array item', { items: { sku: 'x' } }, { items: [{ sku: 'y' }, { sku: 'x' }] }, true),
  onData('no array item matches', { items: { qty: { $gt: 5 } } }, { items: [{ qty: 1 }, { qty: 5 }] }, false),
];

const operators: Row[] = [
  onData('$eq holds', { n: { $eq: 2 } }, { n: 2 }, true),
  onData('$neq on equal values', { n: { $neq: 2 } }, { n: 2 }, false),
  onData('$eq with an object ignores key order', { o: { $eq: { b: 2, a: 1 } } }, { o: { a: 1, b: 2 } }, true),
  onData('$eq with an array respects order', { o: { $eq: [2, 1] } }, { o: [1, 2] }, false),
  onData('$eq with an equal array', { tags: { $eq: ['a', 'b'] } }, { tags: ['a', 'b'] }, true),
  onData('$eq nests -0 against 0 (Go serialises "-0")', { o: { $eq: [0] } }, { o: [-0] }, false),
  onData('$eq compares top-level -0 and 0 as numbers', { o: { $eq: 0 } }, { o: -0 }, true),
  onData('$gt and $lt bound a number', { n: { $gt: 1, $lt: 3 } }, { n: 2 }, true),
  onData('$gte on the bound', { n: { $gte: 2 } }, { n: 2 }, true),
  onData('$lte above the bound', { n: { $lte: 2 } }, { n: 2.5 }, false),
  onData('$gt compares strings lexicographically', { s: { $gt: 'b' } }, { s: 'c' }, true),
  onData('$gt compares by code point (astral > U+FFFD)', { s: { $gt: '\uFFFD' } }, { s: '\u{1F600}' }, true),
  onData('$gt mixes string and number', { n: { $gt: '1' } }, { n: 2 }, false),
  onData('$gt meets a boolean', { n: { $gt: 0 } }, { n: true }, false),
  onData('$in lists the value', { id: { $in: [1, 2] } }, { id: 2 }, true),
  onData('$in finds a substring', { s: { $in: 'ell' } }, { s: 'hello' }, true),
  onData('$in with an array operand meets an array value', { tags: { $in: ['a'] } }, { tags: ['a', 'b'] }, false),
  onData('$in with a scalar operand tests array containment', { tags: { $in: 'a' } }, { tags: ['a', 'b'] }, true),
  onData('$in with a string operand meets a number', { n: { $in: '1' } }, { n: 1 }, false),
  onData('$nin on a listed value', { id: { $nin: [1, 2] } }, { id: 3 }, true),
  onData('$nin on unsupported operand types (no match, not "not in")', { s: { $nin: 5 } }, { s: 'abc' }, false),
  onData('$startsWith any of a list', { s: { $startsWith: ['x', 'he'] } }, { s: 'hello' }, true),
  onData('$endsWith misses', { s: { $endsWith: 'he' } }, { s: 'hello' }, false),
  onData('$startsWith list has a non-string before a match', { s: { $startsWith: [1, 'he'] } }, { s: 'hello' }, false),
  onData('$startsWith meets a number', { n: { $startsWith: '1' } }, { n: 12 }, false),
  onData('an operator applies to the whole array, not items', { tags: { $eq: 'a' } }, { tags: ['a'] }, false),
  onData('$gt on an array value', { n: { $gt: 1 } }, { n: [5] }, false),
];

const presence: Row[] = [
  onData('$exist true on a present field', { x: { $exist: true } }, { x: 0 }, true),
  onData('$exist true on a null field', { x: { $exist: true } }, { x: null }, true),
  onData('$exist true on a missing field', { x: { $exist: true } }, {}, false),
  onData('$exist false on a missing field', { x: { $exist: false } }, {}, true),
  onData('$exist false on a present field', { x: { $exist: false } }, { x: 1 }, false),
  onData('$exist false on a missing field skips sibling operators', { x: { $exist: false, $eq: 1 } }, {}, true),
  onData('$not $exist true on a missing field (reference quirk)', { x: { $not: { $exist: true } } }, {}, false),
  onData('$exist is not a boolean', { x: { $exist: 'false' } }, {}, false),
];

const logical: Row[] = [
  row('$or has one matching branch', { $or: [{ topic: 'x' }, { topic: 'order.created' }] }, {}, true),
  row('$or has no matching branch', { $or: [{ topic: 'x' }, { topic: 'y' }] }, {}, false),
  row('$and has a failing branch', { $and: [{ topic: 'order.created' }, { id: 'x' }] }, {}, false),
  row('$and is empty', { $and: [] }, {}, true),
  row('$or is empty', { $or: [] }, {}, false),
  row('$or is not an array (treated as a field)', { $or: { topic: 'order.created' } }, {}, false),
  row('$not inverts a failing condition', { $not: { topic: 'x' } }, {}, true),
  row('$not of $or where one branch holds', { $not: { $or: [{ topic: 'x' }, { id: 'evt_1' }] } }, {}, false),
  row('$not of $or where no branch holds', { $not: { $or: [{ topic: 'x' }, { id: 'y' }] } }, {}, true),
  row('$not beside other keys that hold', { $not: { topic: 'x' }, id: 'evt_1' }, {}, true),
  row('$not beside other keys, negated part holds', { $not: { topic: 'order.created' }, id: 'evt_1' }, {}, false),
  onData('$or lists scalars for one field', { n: { $or: [1, 5] } }, { n: 5 }, true),
  onData('$or of operators on a field', { n: { $or: [{ $lt: 0 }, { $gt: 9 }] } }, { n: 10 }, true),
  onData('$or with a $not branch on a field', { n: { $or: [{ $not: 1 }] } }, { n: 2 }, true),
  onData('$not below a scalar field never matches (reference quirk)', { n: { $not: { $gt: 5 } } }, { n: 3 }, false),
  onData('$and below a scalar field never matches (reference quirk)', { n: { $and: [{ $gt: 5 }] } }, { n: 9 }, false),
  onData('$and below an object field', { o: { $and: [{ a: 1 }, { b: 2 }] } }, { o: { a: 1, b: 2 } }, true),
  onData('$not below an object field', { o: { $not: { a: 1 } } }, { o: { a: 2 } }, true),
  row('$not wrapping a field comparison', { $not: { data: { n: { $gt: 5 } } } }, { n: 3 }, true),
];

describe('matchFilter', () => {
  describe.each([
    ['basics', basics], ['values', values], ['operators', operators], ['presence', presence], ['logical', logical],
  ])('%s', (_, rows) => {
    it.each(rows)('when $when, then it returns $expected', ({ filter, data, expected }) => {
      expect(matchFilter(filter, subject(data))).toBe(expected);
    });
  });
});

describe('toFilterTime', () => {
  it.each([
    { when: 'a time has milliseconds', time: '2024-05-01T10:00:00.123Z', expected: '2024-05-01T10:00:00Z' },
    { when: 'a time has none', time: '2024-05-01T10:00:00.000+02:00', expected: '2024-05-01T08:00:00Z' },
  ])('when $when, then it renders $expected', ({ time, expected }) => {
    expect(toFilterTime(new Date(time))).toBe(expected);
  });
});
