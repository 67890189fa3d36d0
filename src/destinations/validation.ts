/**
 * Turns zod issues into the contract's validation messages: `<field path> is <rule>`, e.g.
 * `config.url is required`, with the rule words Outpost's clients already parse.
 */
import type { z } from 'zod';

export const RULE_WORDS = [
  'required',
  'forbidden',
  'pattern',
  'minlength',
  'maxlength',
  'invalid',
  'invalid_type',
] as const;

export type RuleWord = (typeof RULE_WORDS)[number];

const RULES: ReadonlySet<string> = new Set(RULE_WORDS);

/** A zod `error` option for strings: missing → `required`, wrong type → `invalid_type`. */
export function requiredStringError(issue: { input?: unknown }): RuleWord {
  return issue.input === undefined ? 'required' : 'invalid_type';
}

function ruleOf(issue: z.core.$ZodIssue): string {
  if (RULES.has(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return 'invalid_type';
    case 'too_small':
      return 'minlength';
    case 'too_big':
      return 'maxlength';
    case 'invalid_format':
      return 'pattern';
    default:
      return 'invalid';
  }
}

export function formatIssue(prefix: string, issue: z.core.$ZodIssue): string {
  const path = [prefix, ...issue.path.map(String)].join('.');
  return `${path} is ${ruleOf(issue)}`;
}

/** One message per issue, deduplicated, in issue order. */
export function issuesToMessages(prefix: string, issues: readonly z.core.$ZodIssue[]): string[] {
  return [...new Set(issues.map((issue) => formatIssue(prefix, issue)))];
}
