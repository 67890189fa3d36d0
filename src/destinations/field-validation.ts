/**
 * Validation derived from a provider's declared fields, so `/destination-types`, the 422 messages
 * and masking read the same declaration: `required`, `pattern`, `minlength`/`maxlength`, select
 * `options` and checkbox values. Providers add rules the declaration cannot say (a parseable
 * URL, JSON credentials) on top.
 */
import type { StringMap } from '../domain/types.js';
import type { DestinationSchemaField } from './types.js';
import type { RuleWord } from './validation.js';

const CHECKBOX_VALUES: ReadonlySet<string> = new Set(['true', 'false']);

/** HTML5 `pattern` semantics: the whole value must match. Compiled once per pattern. */
const compiled = new Map<string, RegExp>();
function wholeMatch(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`, 'u');
    compiled.set(pattern, regex);
  }
  return regex;
}

function ruleBroken(field: DestinationSchemaField, value: string | undefined): RuleWord | undefined {
  if (value === undefined || value === '') return field.required ? 'required' : undefined;
  if (field.minlength !== undefined && value.length < field.minlength) return 'minlength';
  if (field.maxlength !== undefined && value.length > field.maxlength) return 'maxlength';
  if (field.pattern !== undefined && !wholeMatch(field.pattern).test(value)) return 'pattern';
  if (field.type === 'select' && field.options && !field.options.some((option) => option.value === value)) return 'invalid';
  if (field.type === 'checkbox' && !CHECKBOX_VALUES.has(value)) return 'invalid';
  return undefined;
}

/** `<prefix>.<key> is <rule>` for each declared field whose value breaks its declaration. */
export function checkDeclaredFields(prefix: 'config' | 'credentials', fields: readonly DestinationSchemaField[], values: StringMap): string[] {
  const problems: string[] = [];
  for (const field of fields) {
    const rule = ruleBroken(field, values[field.key]);
    if (rule !== undefined) problems.push(`${prefix}.${field.key} is ${rule}`);
  }
  return problems;
}

/** The value of a checkbox field as a boolean (`default` when unset). */
export function checkboxValue(values: StringMap, key: string, fallback = false): boolean {
  const value = values[key];
  return value === undefined || value === '' ? fallback : value === 'true';
}
