import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, MAX_REPORTED_PROBLEMS, inspectJson, textProblem } from './json-guard.js';

const nested = (levels: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

describe('textProblem', () => {
  it.each([
    ['plain', null],
    ['emoji 😀 (a surrogate pair)', null],
    ['', null],
    ['a\u0000b', 'must not contain NUL characters'],
    ['a\ud800b', 'must not contain unpaired UTF-16 surrogates'],
    ['\udc00', 'must not contain unpaired UTF-16 surrogates'],
    ['😀'.slice(0, 1), 'must not contain unpaired UTF-16 surrogates'],
    ['\ud83d\ude00\ude00', 'must not contain unpaired UTF-16 surrogates'],
  ])('when the text is %j, then the problem is %j', (text, problem) => {
    expect(textProblem(text)).toBe(problem);
  });
});

describe('inspectJson', () => {
  it('when every string is clean and nesting is shallow, then there is no problem', () => {
    expect(inspectJson({ id: 'e', data: { list: [1, 'two', { three: null }] }, metadata: { k: 'v' } })).toEqual([]);
  });

  it('when strings anywhere hold NUL or lone surrogates, then each is named by its path', () => {
    const body = { topic: 'a\u0000', metadata: { k: 'ok', x: '\ud800' }, data: { list: [{ name: 'b\u0000' }] }, topics: ['a', '\udfff'] };
    expect(inspectJson(body)).toEqual([
      'topic must not contain NUL characters',
      'metadata.x must not contain unpaired UTF-16 surrogates',
      'data.list[0].name must not contain NUL characters',
      'topics[1] must not contain unpaired UTF-16 surrogates',
    ]);
  });

  it('when a key holds NUL, then its parent is named, not the key', () => {
    expect(inspectJson({ metadata: { 'a\u0000': 'v', 'b\u0000': 'w' } })).toEqual(['metadata keys must not contain NUL characters']);
    expect(inspectJson({ 'x\ud800': 1 })).toEqual(['body keys must not contain unpaired UTF-16 surrogates']);
  });

  it('when the document itself is a bad string or a shallow array, then it is named by the root name', () => {
    expect(inspectJson('\u0000')).toEqual(['body must not contain NUL characters']);
    expect(inspectJson(['\u0000'], 'query')).toEqual(['query[0] must not contain NUL characters']);
  });

  it.each([MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH])('when a field is nested %i levels, then it is accepted', (levels) => {
    expect(inspectJson({ data: nested(levels) })).toEqual([]);
  });

  it.each([MAX_JSON_DEPTH + 1, 10_000, 100_000, 1_000_000])('when a field is nested %i levels, then the field is named once', (levels) => {
    expect(inspectJson({ id: 'x', filter: nested(levels, '\u0000') })).toEqual([`filter must not be nested more than ${MAX_JSON_DEPTH} levels deep`]);
  });

  it('when arrays nest deeply inside a root array, then the document is named', () => {
    let value: unknown = [];
    for (let i = 0; i < 100_000; i++) value = [value];
    expect(inspectJson(value)).toEqual([`body must not be nested more than ${MAX_JSON_DEPTH} levels deep`]);
  });

  it('when there are very many problems, then only the first ones are reported', () => {
    const data = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, '\u0000']));
    const problems = inspectJson({ data });
    expect(problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(problems[0]).toBe('data.k0 must not contain NUL characters');
  });

  it('when a path is very long, then the message cuts it', () => {
    const [problem] = inspectJson({ ['k'.repeat(10_000)]: '\u0000' });
    expect(problem!.length).toBeLessThan(300);
  });
});
