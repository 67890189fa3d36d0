import { describe, expect, it } from 'vitest';
import {
  checkPublishTopic, destinationMatchesTopic, matchTopicPattern, normalizeTopics, parseDestinationTopics,
  tenantTopics, topicsEqual,
} from './topics.js';
import type { TopicPolicy } from './topics.js';

const CONFIGURED = ['user.created', 'user.updated', 'order.created', 'order.eu.completed'];
const open: TopicPolicy = { configured: null, allowWildcards: false };
const openWild: TopicPolicy = { configured: null, allowWildcards: true };
const listed: TopicPolicy = { configured: CONFIGURED, allowWildcards: false };
const listedWild: TopicPolicy = { configured: CONFIGURED, allowWildcards: true };

describe('parseDestinationTopics', () => {
  it.each([
    { when: 'input is "*" and TOPICS is configured', input: '*', policy: listed, topics: ['*'] },
    { when: 'input is ["*"] and TOPICS is configured', input: ['*'], policy: listed, topics: ['*'] },
    { when: 'configured topics are listed', input: ['user.created', 'order.created'], policy: listed,
      topics: ['user.created', 'order.created'] },
    { when: 'TOPICS is unset, any exact topic', input: ['anything.goes'], policy: open, topics: ['anything.goes'] },
    { when: 'TOPICS is an empty list, it counts as unset', input: ['x'], policy: { configured: [], allowWildcards: false },
      topics: ['x'] },
    { when: 'duplicates are sent', input: ['user.updated', 'user.created', 'user.updated'], policy: listed,
      topics: ['user.updated', 'user.created'] },
    { when: 'a wildcard covers a sibling', input: ['user.created', 'user.*'], policy: listedWild, topics: ['user.*'] },
    { when: 'wildcards overlap without covering each other', input: ['*.created', 'user.*', 'user.created'],
      policy: listedWild, topics: ['*.created', 'user.*'] },
    { when: 'a middle wildcard matches a configured topic', input: ['order.*.completed'], policy: listedWild,
      topics: ['order.*.completed'] },
    { when: 'TOPICS is unset and wildcards allowed, "*" absorbs siblings', input: ['a', '*'], policy: openWild,
      topics: ['*'] },
    { when: 'TOPICS is unset and wildcards allowed, any pattern', input: ['x.*'], policy: openWild, topics: ['x.*'] },
  ])('when $when, then it returns $topics', ({ input, policy, topics }) => {
    expect(parseDestinationTopics(input, policy)).toEqual({ topics });
  });

  it.each([
    { when: 'topics is missing', input: undefined, policy: open, errors: ['topics is required'] },
    { when: 'topics is null', input: null, policy: open, errors: ['topics is required'] },
    { when: 'topics is empty', input: [], policy: open, errors: ['topics must not be empty'] },
    { when: 'topics is a non-"*" string', input: 'user.created', policy: open,
      errors: ['topics must be "*" or an array of strings'] },
    { when: 'topics has a number', input: ['a', 1], policy: open, errors: ['topics must be "*" or an array of strings'] },
    { when: 'an entry is empty', input: ['a', ''], policy: open, errors: ['topics[1] must not be empty'] },
    { when: 'a topic is not configured', input: ['user.created', 'user.deleted'], policy: listed,
      errors: ['topics[1] is invalid: not a configured topic'] },
    { when: '"*" is combined with topics and TOPICS is configured', input: ['*', 'user.created'], policy: listedWild,
      errors: ['topics[0] must be the only entry when it is "*"'] },
    { when: '"*" is sent twice in an array', input: ['*', '*'], policy: listed,
      errors: ['topics[0] must be the only entry when it is "*"', 'topics[1] must be the only entry when it is "*"'] },
    { when: '"*" is combined with topics and wildcards are off', input: ['*', 'a'], policy: open,
      errors: ['topics[0] must be the only entry when it is "*"'] },
    { when: 'a pattern is sent but wildcards are off', input: ['user.*'], policy: listed,
      errors: ['topics[0] is invalid: wildcard topics are not allowed'] },
    { when: 'a pattern is sent, wildcards off and TOPICS unset', input: ['user.*'], policy: open,
      errors: ['topics[0] is invalid: wildcard topics are not allowed'] },
    { when: 'a pattern matches no configured topic', input: ['invoice.*'], policy: listedWild,
      errors: ['topics[0] is invalid: pattern matches no configured topic'] },
  ])('when $when, then it reports $errors', ({ input, policy, errors }) => {
    expect(parseDestinationTopics(input, policy)).toEqual({ errors });
  });
});

describe('normalizeTopics', () => {
  it.each([
    { when: 'a single entry', topics: ['a'], expected: ['a'] },
    { when: 'only "*"', topics: ['*'], expected: ['*'] },
    { when: 'exact duplicates', topics: ['b', 'a', 'b'], expected: ['b', 'a'] },
    { when: 'duplicate wildcards', topics: ['a.*', 'a.*'], expected: ['a.*'] },
    { when: 'a deeper topic beside a pattern', topics: ['user.eu.created', 'user.*'], expected: ['user.*'] },
    // Outpost compares patterns with its topic matcher, where a `*` meets a `*` literally first:
    { when: 'a narrower pattern beside a broader one (kept, as in Outpost)', topics: ['user.*.x', 'user.*'],
      expected: ['user.*.x', 'user.*'] },
    { when: 'a doubled star beside a single one', topics: ['a*', 'a**'], expected: ['a**'] },
  ])('when $when, then it keeps $expected', ({ topics, expected }) => {
    expect(normalizeTopics(topics)).toEqual(expected);
  });
});

describe('matchTopicPattern', () => {
  it.each([
    { pattern: 'user.created', topic: 'user.created', expected: true },
    { pattern: 'user.created', topic: 'user.updated', expected: false },
    { pattern: 'user.*', topic: 'user.created', expected: true },
    { pattern: 'user.*', topic: 'user.', expected: true },
    { pattern: 'user.*', topic: 'user', expected: false },
    { pattern: '*.created', topic: 'order.eu.created', expected: true },
    { pattern: 'order.*.completed', topic: 'order.eu.completed', expected: true },
    { pattern: 'order.*.completed', topic: 'order.completed', expected: false },
    { pattern: 'a*b*c', topic: 'aXbYbZc', expected: true },
    { pattern: '*', topic: '', expected: true },
    { pattern: '*a', topic: '*ba', expected: false },
  ])('when $pattern meets $topic, then it returns $expected', ({ pattern, topic, expected }) => {
    expect(matchTopicPattern(pattern, topic)).toBe(expected);
  });
});

describe('destinationMatchesTopic', () => {
  it.each([
    { when: 'the event topic is empty', topics: ['user.created'], event: '', expected: true },
    { when: 'the event topic is "*"', topics: ['user.created'], event: '*', expected: true },
    { when: 'the destination takes "*"', topics: ['*'], event: 'anything', expected: true },
    { when: 'a listed topic equals the event topic', topics: ['a', 'user.created'], event: 'user.created', expected: true },
    { when: 'no listed topic matches', topics: ['user.created'], event: 'user.updated', expected: false },
    { when: 'a pattern matches', topics: ['order.*'], event: 'order.created', expected: true },
    { when: 'the destination has no topics', topics: [], event: 'a', expected: false },
  ])('when $when, then it returns $expected', ({ topics, event, expected }) => {
    expect(destinationMatchesTopic(topics, event)).toBe(expected);
  });
});

describe('checkPublishTopic', () => {
  it.each([
    { when: 'TOPICS is unset and topic is missing', topic: undefined, policy: open, expected: null },
    { when: 'TOPICS is unset and topic is anything', topic: 'x', policy: open, expected: null },
    { when: 'TOPICS is configured and topic is missing', topic: undefined, policy: listed, expected: 'topic is required' },
    { when: 'TOPICS is configured and topic is empty', topic: '', policy: listed, expected: 'topic is required' },
    { when: 'TOPICS is configured and topic is listed', topic: 'user.created', policy: listed, expected: null },
    { when: 'TOPICS is configured and topic is "*"', topic: '*', policy: listed, expected: null },
    { when: 'TOPICS is configured and topic is unknown', topic: 'user.deleted', policy: listed, expected: 'topic is invalid' },
    { when: 'TOPICS is configured and topic is a pattern', topic: 'user.*', policy: listedWild, expected: 'topic is invalid' },
  ])('when $when, then it returns $expected', ({ topic, policy, expected }) => {
    expect(checkPublishTopic(topic, policy)).toBe(expected);
  });
});

describe('tenantTopics', () => {
  it.each([
    { when: 'there are no destinations', lists: [], expected: [] },
    { when: 'lists overlap', lists: [['b', 'a'], ['c', 'a']], expected: ['a', 'b', 'c'] },
    { when: 'one destination takes "*"', lists: [['a'], ['*']], expected: ['*'] },
    { when: 'patterns are listed', lists: [['user.*'], ['order.created']], expected: ['order.created', 'user.*'] },
    { when: 'topics need code-point order', lists: [['\u{1F600}', '\uFFFD', 'Z', 'a']], expected: ['Z', 'a', '\uFFFD', '\u{1F600}'] },
  ])('when $when, then it returns $expected', ({ lists, expected }) => {
    expect(tenantTopics(lists)).toEqual(expected);
  });
});

describe('topicsEqual', () => {
  it.each([
    { when: 'lists are identical', a: ['a', 'b'], b: ['a', 'b'], expected: true },
    { when: 'only the order differs', a: ['b', 'a'], b: ['a', 'b'], expected: true },
    { when: 'one list has an extra topic', a: ['a'], b: ['a', 'b'], expected: false },
    { when: 'topics differ', a: ['a'], b: ['b'], expected: false },
  ])('when $when, then it returns $expected', ({ a, b, expected }) => {
    expect(topicsEqual(a, b)).toBe(expected);
  });
});
