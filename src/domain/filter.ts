/**
 * Destination filters: Outpost's semantics (Go port of Hookdeck simple-json-match, `$ref` excluded),
 * reproduced branch for branch, including its quirks, so a filter routes the same events here as
 * there. Notable quirks kept on purpose:
 * - an operator object applied to an array value tests the whole array (`{tags: {$eq: "a"}}` fails
 *   on `["a"]`, `{tags: {$in: ["a"]}}` fails on any array, `{tags: {$in: "a"}}` means "contains");
 * - `$and` and `$not` work on objects only; below a field holding a scalar they never match
 *   (wrap the field instead: `{$not: {amount: {$gt: 5}}}`); `$or` works on both;
 * - a missing field passes only `{$exist: false, ...}` (the rest of that object is not checked).
 */
import {
  VALUE_OPERATORS, applyOperator, hasField, isJsonObject, isJsonPrimitive, looseEquals,
} from './filter-operators.js';
import type { JsonObject, JsonPrimitive } from './filter-operators.js';

export { validateFilter } from './filter-validate.js';

/** What a filter is evaluated against; `time` as rendered by {@link toFilterTime}. */
export interface FilterSubject {
  readonly id: string;
  readonly topic: string;
  readonly time: string;
  readonly metadata: Record<string, string>;
  /** The parsed event payload; anything but a JSON object is seen as `{}`, as in Outpost. */
  readonly data: unknown;
}

/** True when the event matches; an absent or empty filter matches every event. */
export function matchFilter(
  filter: Record<string, unknown> | null | undefined,
  subject: FilterSubject,
): boolean {
  if (!filter || Object.keys(filter).length === 0) return true;
  const input: JsonObject = {
    id: subject.id,
    topic: subject.topic,
    time: subject.time,
    metadata: { ...subject.metadata },
    data: isJsonObject(subject.data) ? subject.data : {},
  };
  return matchSchema(input, filter);
}

/**
 * Renders an event time the way Outpost exposes it to filters: RFC 3339 at second precision.
 * Outpost keeps the publisher's UTC offset; a `Date` has none, so this is always UTC (`Z`).
 */
export function toFilterTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function operatorEntries(schema: JsonObject): [string, unknown][] {
  return Object.entries(schema).filter(([key, value]) => VALUE_OPERATORS.has(key) && value !== undefined);
}

function allOperatorsPass(value: unknown, operators: [string, unknown][]): boolean {
  return operators.every(([operator, operand]) => applyOperator(operator, value, operand) === true);
}

/** Entry point of the reference's recursion (`matchJSONToSchema`). */
function matchSchema(input: unknown, schema: unknown): boolean {
  if (isJsonObject(schema) && hasField(schema, '$not')) {
    const negated = matchSchema(input, schema.$not);
    if (Object.keys(schema).length === 1) return !negated;
    if (negated) return false;
  }
  if (isJsonObject(input) && isJsonObject(schema)) return matchFields(input, schema);
  return matchValue(input, schema);
}

/** Every key of the schema must hold for the object: `$or`/`$and` arrays, then fields. */
function matchFields(input: JsonObject, schema: JsonObject): boolean {
  for (const [key, sub] of Object.entries(schema)) {
    if (key === '$not' || sub === undefined) continue;
    if (key === '$or' && Array.isArray(sub)) {
      if (!sub.some((branch) => matchSchema(input, branch))) return false;
    } else if (key === '$and' && Array.isArray(sub)) {
      if (!sub.every((branch) => matchSchema(input, branch))) return false;
    } else if (!hasField(input, key)) {
      if (!(isJsonObject(sub) && sub.$exist === false)) return false;
    } else if (!matchValue(input[key], sub)) {
      return false;
    }
  }
  return true;
}

/** A present value against a schema node (the reference's `recursivelyMatchValue`, un-negated). */
function matchValue(value: unknown, schema: unknown): boolean {
  if (isJsonPrimitive(schema)) return matchPrimitive(value, schema);
  if (Array.isArray(value)) return matchArray(value, schema);
  if (isJsonObject(schema)) return matchObjectSchema(value, schema);
  return false;
}

/** A scalar equals a scalar, or is contained (at any depth) in an array; never equals an object. */
function matchPrimitive(value: unknown, schema: JsonPrimitive): boolean {
  if (isJsonPrimitive(value)) return looseEquals(value, schema);
  if (Array.isArray(value)) return value.some((item) => matchValue(item, schema));
  return false;
}

/** Array schema: each entry matches some item. Operators: applied to the whole array. Else: any item. */
function matchArray(value: unknown[], schema: unknown): boolean {
  if (Array.isArray(schema)) {
    return schema.every((entry) => value.some((item) => matchValue(item, entry)));
  }
  if (isJsonObject(schema)) {
    const operators = operatorEntries(schema);
    if (operators.length > 0) return allOperatorsPass(value, operators);
  }
  return value.some((item) => matchValue(item, schema));
}

/** Object schema on a non-array value: `$or` alone decides; else operators; else nested fields. */
function matchObjectSchema(value: unknown, schema: JsonObject): boolean {
  const branches = schema.$or;
  if (Array.isArray(branches)) return branches.some((branch) => matchSchema(value, branch));
  const operators = operatorEntries(schema);
  if (operators.length > 0) return allOperatorsPass(value, operators);
  if (isJsonPrimitive(value)) return false;
  return matchSchema(value, schema);
}
