/**
 * Value helpers and comparison operators for destination filters, mirroring Outpost's Go port of
 * Hookdeck's simple-json-match (`internal/simplejsonmatch`). Inputs are parsed JSON values.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonObject = Record<string, unknown>;

/**
 * Outcome of one operator: `undefined` means the operand types are unsupported (the reference
 * returns an error there), which callers treat as "no match" — also for `$nin`.
 */
export type OperatorResult = boolean | undefined;

/** Operators applied to a value; the logical ones (`$or`, `$and`, `$not`) are handled by the matcher. */
export const VALUE_OPERATORS: ReadonlySet<string> = new Set([
  '$eq', '$neq', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$startsWith', '$endsWith', '$exist',
]);

export function isJsonPrimitive(value: unknown): value is JsonPrimitive {
  const kind = typeof value;
  return value === null || kind === 'string' || kind === 'number' || kind === 'boolean';
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key counts as present when it is an own property holding a JSON value (`undefined` = absent). */
export function hasField(object: JsonObject, key: string): boolean {
  return Object.hasOwn(object, key) && object[key] !== undefined;
}

/** Same-type primitive equality; values of different types (or non-primitives) are never equal. */
export function looseEquals(a: unknown, b: unknown): boolean {
  return typeof a === typeof b && isJsonPrimitive(a) && isJsonPrimitive(b) && a === b;
}

/**
 * Deep equality as the reference computes it: by comparing `encoding/json` output, so object key
 * order is irrelevant, array order matters, and a nested `-0` differs from `0` (it serialises as "-0").
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a).filter((key) => hasField(a, key));
    const otherKeys = Object.keys(b).filter((key) => hasField(b, key));
    return keys.length === otherKeys.length && keys.every((key) => hasField(b, key) && jsonEqual(a[key], b[key]));
  }
  return a === b;
}

/** Maps a UTF-16 code unit so that code-unit order becomes code-point order. */
function codePointOrderUnit(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  return unit >= 0xd800 ? unit + 0x2000 : unit;
}

/**
 * Orders strings by Unicode code point, which equals Go's byte-wise UTF-8 order (`"a" < "b"`,
 * `sort.Strings`). Plain JS `<` differs for astral characters versus U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointOrderUnit(x) - codePointOrderUnit(y);
  }
  return a.length - b.length;
}

function opEq(value: unknown, operand: unknown): boolean {
  if (isJsonPrimitive(value) && isJsonPrimitive(operand)) return looseEquals(value, operand);
  return jsonEqual(value, operand);
}

/** Strings compare lexicographically (so RFC 3339 times compare as text), numbers numerically. */
function compareOrdered(value: unknown, operand: unknown): number | undefined {
  if (typeof value === 'string' && typeof operand === 'string') return compareCodePoints(value, operand);
  if (typeof value === 'number' && typeof operand === 'number') return value < operand ? -1 : value > operand ? 1 : 0;
  return undefined;
}

function ordered(value: unknown, operand: unknown, accept: (order: number) => boolean): OperatorResult {
  const order = compareOrdered(value, operand);
  return order === undefined ? undefined : accept(order);
}

/** `$in`: operand array → value is one of it; string value → substring; array value → contains. */
function opIn(value: unknown, operand: unknown): OperatorResult {
  if (Array.isArray(operand)) {
    return isJsonPrimitive(value) ? operand.some((item) => looseEquals(value, item)) : undefined;
  }
  if (typeof value === 'string') return typeof operand === 'string' ? value.includes(operand) : undefined;
  if (Array.isArray(value)) return value.some((item) => looseEquals(item, operand));
  return undefined;
}

/** `$startsWith` / `$endsWith`: operand is a string or an array of strings (any may match). */
function affix(value: unknown, operand: unknown, test: (text: string, part: string) => boolean): OperatorResult {
  if (typeof value !== 'string') return undefined;
  if (typeof operand === 'string') return test(value, operand);
  if (!Array.isArray(operand)) return undefined;
  for (const part of operand) {
    if (typeof part !== 'string') return undefined;
    if (test(value, part)) return true;
  }
  return false;
}

/**
 * Applies one value operator to a present value. `$exist` only reaches here for present fields
 * (missing fields are decided by the matcher), so it simply returns its boolean operand.
 */
export function applyOperator(operator: string, value: unknown, operand: unknown): OperatorResult {
  switch (operator) {
    case '$eq': return opEq(value, operand);
    case '$neq': return !opEq(value, operand);
    case '$gt': return ordered(value, operand, (order) => order > 0);
    case '$gte': return ordered(value, operand, (order) => order >= 0);
    case '$lt': return ordered(value, operand, (order) => order < 0);
    case '$lte': return ordered(value, operand, (order) => order <= 0);
    case '$in': return opIn(value, operand);
    case '$nin': { const inside = opIn(value, operand); return inside === undefined ? undefined : !inside; }
    case '$startsWith': return affix(value, operand, (text, part) => text.startsWith(part));
    case '$endsWith': return affix(value, operand, (text, part) => text.endsWith(part));
    case '$exist': return typeof operand === 'boolean' ? operand : undefined;
    default: return undefined;
  }
}
