/**
 * Write-time checks for a destination `filter`. Outpost stores any JSON object unchecked; Herald
 * rejects filters that could only ever fail silently: unknown `$` operators (including `$ref`, which
 * Outpost does not implement) and operands of a type the operator never accepts. Messages are
 * `<path> <rule>` strings for a 422 `data` array, e.g. `filter.data.amount.$gt must be a number or string`.
 */
import { VALUE_OPERATORS, isJsonObject } from './filter-operators.js';
import type { JsonObject } from './filter-operators.js';

type OperandCheck = { readonly accepts: (operand: unknown) => boolean; readonly rule: string };

const isString = (operand: unknown): boolean => typeof operand === 'string';

const OPERAND_CHECKS: Readonly<Record<string, OperandCheck>> = {
  $gt: { accepts: (o) => typeof o === 'number' || isString(o), rule: 'must be a number or string' },
  $in: { accepts: (o) => Array.isArray(o) || isString(o), rule: 'must be an array or string' },
  $startsWith: {
    accepts: (o) => isString(o) || (Array.isArray(o) && o.every(isString)),
    rule: 'must be a string or an array of strings',
  },
  $exist: { accepts: (o) => typeof o === 'boolean', rule: 'must be a boolean' },
};

/** Operators sharing another's operand rule; `$eq` / `$neq` accept any JSON value. */
const SAME_RULE_AS: Readonly<Record<string, string>> = {
  $gte: '$gt', $lt: '$gt', $lte: '$gt', $nin: '$in', $endsWith: '$startsWith',
};

/** Errors for a destination `filter` (empty = valid). `null`/absent is valid: no filter. */
export function validateFilter(filter: unknown): string[] {
  if (filter === null || filter === undefined) return [];
  if (!isJsonObject(filter)) return ['filter must be an object or null'];
  return checkSchema(filter, 'filter');
}

function checkSchema(schema: JsonObject, path: string): string[] {
  return Object.entries(schema).flatMap(([key, value]) => {
    const at = `${path}.${key}`;
    return key.startsWith('$') ? checkOperator(key, value, at) : checkValue(value, at);
  });
}

/** A plain value is a literal or a nested schema; objects inside arrays are schemas too. */
function checkValue(value: unknown, path: string): string[] {
  if (isJsonObject(value)) return checkSchema(value, path);
  if (Array.isArray(value)) return value.flatMap((item, i) => checkValue(item, `${path}[${i}]`));
  return [];
}

function checkOperator(operator: string, operand: unknown, path: string): string[] {
  if (operator === '$eq' || operator === '$neq') return [];
  if (operator === '$or' || operator === '$and') return checkBranches(operand, path);
  if (operator === '$not') {
    return isJsonObject(operand) ? checkSchema(operand, path) : [`${path} must be an object`];
  }
  const check = VALUE_OPERATORS.has(operator) ? OPERAND_CHECKS[SAME_RULE_AS[operator] ?? operator] : undefined;
  if (!check) return [`${path} is not a supported operator`];
  return check.accepts(operand) ? [] : [`${path} ${check.rule}`];
}

/**
 * `$or` / `$and` take an array of conditions. Conditions are usually objects, but scalars are kept
 * valid: simple-json-match documents `{inventory: {$or: [1, 5]}}`, and Outpost evaluates it.
 */
function checkBranches(operand: unknown, path: string): string[] {
  if (!Array.isArray(operand)) return [`${path} must be an array of conditions`];
  return operand.flatMap((branch, i) => checkValue(branch, `${path}[${i}]`));
}
