/**
 * Topic rules, mirroring Outpost `internal/models` (`Topics.Validate`, `Normalize`, `MatchTopic`)
 * and the publish-time topic check. A `*` inside a topic is a wildcard for any run of characters
 * (possibly empty); a destination whose topics are exactly `["*"]` receives every topic.
 */
import { compareCodePoints } from './filter-operators.js';

export interface TopicPolicy {
  /** The `TOPICS` setting; `null` (or empty, as in Outpost) means unset: any topic is accepted. */
  readonly configured: readonly string[] | null;
  /** `TOPICS_ALLOW_WILDCARDS`: whether destination topics may contain `*` patterns. */
  readonly allowWildcards: boolean;
}

export type ParsedTopics = { readonly topics: string[] } | { readonly errors: string[] };

const ALL = '*';

function configuredTopics(policy: TopicPolicy): readonly string[] | null {
  return policy.configured && policy.configured.length > 0 ? policy.configured : null;
}

function isMatchAll(topics: readonly string[]): boolean {
  return topics.length === 1 && topics[0] === ALL;
}

/**
 * Glob match where `*` stands for any run of characters: greedy with one backtrack point, no regex,
 * so hostile patterns stay cheap. As in Outpost, a character equal to the topic's is consumed as a
 * literal before `*` is treated as a wildcard; that only matters when the "topic" is itself a
 * pattern (normalisation compares patterns), e.g. `*a` does not match `*ba`.
 */
export function matchTopicPattern(pattern: string, topic: string): boolean {
  if (pattern === topic) return true;
  if (!pattern.includes(ALL)) return false;
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < topic.length) {
    if (p < pattern.length && pattern[p] === topic[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === ALL) {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === ALL) p++;
  return p === pattern.length;
}

/** Reads the wire shape: `"*"` or an array of strings. */
function readTopics(input: unknown): string[] | string {
  if (input === undefined || input === null) return 'topics is required';
  if (input === ALL) return [ALL];
  if (!Array.isArray(input) || !input.every((entry) => typeof entry === 'string')) {
    return 'topics must be "*" or an array of strings';
  }
  return input.length === 0 ? 'topics must not be empty' : input;
}

/** Why one entry of a multi-entry (or non-`*`) list is rejected, or `null` when it is accepted. */
function entryError(entry: string, policy: TopicPolicy): string | null {
  const configured = configuredTopics(policy);
  if (entry === '') return 'must not be empty';
  if (entry.includes(ALL)) {
    if (entry === ALL && (configured || !policy.allowWildcards)) return 'must be the only entry when it is "*"';
    if (!policy.allowWildcards) return 'is invalid: wildcard topics are not allowed';
    if (configured && !configured.some((topic) => matchTopicPattern(entry, topic))) {
      return 'is invalid: pattern matches no configured topic';
    }
    return null;
  }
  return configured && !configured.includes(entry) ? 'is invalid: not a configured topic' : null;
}

/**
 * Validates and normalises a destination's `topics` from a request body. Errors are 422 `data`
 * strings such as `topics[1] is invalid: not a configured topic`. Validation runs on the list as
 * sent (so `["*", "*"]` is a multi-entry list), normalisation afterwards, as in Outpost.
 */
export function parseDestinationTopics(input: unknown, policy: TopicPolicy): ParsedTopics {
  const topics = readTopics(input);
  if (typeof topics === 'string') return { errors: [topics] };
  if (isMatchAll(topics)) return { topics: [ALL] };
  const errors = topics.flatMap((entry, i) => {
    const error = entryError(entry, policy);
    return error ? [`topics[${i}] ${error}`] : [];
  });
  return errors.length > 0 ? { errors } : { topics: normalizeTopics(topics) };
}

/**
 * Drops exact duplicates (first occurrence kept, order preserved) and entries covered by a
 * strictly broader sibling pattern: `["user.*", "user.created"]` → `["user.*"]`, while
 * `["*.created", "user.*"]` stays. Never changes which event topics match.
 */
export function normalizeTopics(topics: readonly string[]): string[] {
  if (isMatchAll(topics)) return [ALL];
  const coveredByBroader = (entry: string): boolean =>
    topics.some((other) => other !== entry && matchTopicPattern(other, entry) && !matchTopicPattern(entry, other));
  const kept: string[] = [];
  for (const entry of topics) {
    if (!kept.includes(entry) && !coveredByBroader(entry)) kept.push(entry);
  }
  return kept;
}

/**
 * The publish-time topic check (422 `data` text), or `null` when accepted. Only enforced when
 * `TOPICS` is configured; the literal `*` is then always accepted.
 */
export function checkPublishTopic(topic: string | undefined, policy: TopicPolicy): string | null {
  const configured = configuredTopics(policy);
  if (!configured) return null;
  if (topic === undefined || topic === '') return 'topic is required';
  return topic === ALL || configured.includes(topic) ? null : 'topic is invalid';
}

/** Whether a destination subscribed to `destinationTopics` receives an event with `eventTopic`. */
export function destinationMatchesTopic(destinationTopics: readonly string[], eventTopic: string): boolean {
  if (eventTopic === '' || eventTopic === ALL || isMatchAll(destinationTopics)) return true;
  return destinationTopics.some((pattern) => matchTopicPattern(pattern, eventTopic));
}

/**
 * A tenant's `topics`: the sorted union of its destinations' topics (patterns kept verbatim),
 * or `["*"]` as soon as one destination lists `*`. Sorted by code point, like Go's `sort.Strings`.
 */
export function tenantTopics(destinationTopicLists: readonly (readonly string[])[]): string[] {
  const union = new Set<string>();
  for (const topics of destinationTopicLists) {
    if (topics.includes(ALL)) return [ALL];
    topics.forEach((topic) => union.add(topic));
  }
  return [...union].sort(compareCodePoints);
}

/** Order-insensitive set equality of two topic lists, for change detection. */
export function topicsEqual(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((topic) => right.has(topic));
}
