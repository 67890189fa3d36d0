/**
 * Checks a parsed request body (or query) before any schema or storage sees it: every string, key
 * and value, must be storable and well-formed, and nesting is bounded. The walk is iterative, so a
 * hostile document cannot overflow the stack here, and it stops descending at the depth limit.
 */

/**
 * Deepest nesting accepted in one field (`data`, `filter`, `metadata`, ...), counting the field's
 * own object or array as level 1. Real event payloads and filters stay far below it, while every
 * recursive consumer after this check (JSON.stringify when storing, filter matching, zod, Postgres's
 * JSON parser) stays orders of magnitude below its stack limit.
 */
export const MAX_JSON_DEPTH = 64;

/** Problems reported for one document; the rest are dropped so a hostile body cannot inflate the answer. */
export const MAX_REPORTED_PROBLEMS = 20;

/** Paths in messages are cut to this many characters, for the same reason. */
const MAX_SHOWN_PATH = 200;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a string cannot be accepted, or null. Postgres text and jsonb cannot hold U+0000, and an
 * unpaired UTF-16 surrogate has no UTF-8 form (it would be stored as U+FFFD, not as sent).
 */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired UTF-16 surrogates';
  return null;
}

interface Pending {
  readonly value: unknown;
  /** Where the value sits, `''` for the document itself. */
  readonly path: string;
  /** 0 for the document; a top-level field's own value is at depth 1. */
  readonly depth: number;
  /** The top-level field this value sits in, named in depth messages. */
  readonly field: string;
}

/**
 * Problems of a parsed JSON document as `<path> <rule>` messages, e.g.
 * `data.user.name must not contain NUL characters` or `filter must not be nested more than 64 levels deep`.
 * `rootName` names the document itself where a path would be empty.
 */
export function inspectJson(document: unknown, rootName = 'body'): string[] {
  const problems = new Set<string>();
  const stack: Pending[] = [{ value: document, path: '', depth: 0, field: rootName }];
  const label = (path: string) => path || rootName;
  const shown = (path: string) => {
    const text = label(path);
    return text.length > MAX_SHOWN_PATH ? `${text.slice(0, MAX_SHOWN_PATH)}…` : text;
  };

  while (stack.length > 0 && problems.size < MAX_REPORTED_PROBLEMS) {
    const { value, path, depth, field } = stack.pop() as Pending;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) problems.add(`${shown(path)} ${problem}`);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) {
      problems.add(`${shown(field)} must not be nested more than ${MAX_JSON_DEPTH} levels deep`);
      continue;
    }
    const children: { path: string; item: unknown; field: string }[] = Array.isArray(value)
      ? (value as unknown[]).map((item, i) => ({ path: `${label(path)}[${i}]`, item, field: depth === 0 ? rootName : field }))
      : Object.entries(value as Record<string, unknown>).map(([key, item]) => {
        const keyProblem = textProblem(key);
        if (keyProblem) problems.add(`${shown(path)} keys ${keyProblem}`);
        const at = keyProblem ? `${label(path)}[?]` : path === '' ? key : `${path}.${key}`;
        return { path: at, item, field: depth === 0 ? at : field };
      });
    // Pushed in reverse so problems come out in document order.
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!;
      stack.push({ value: child.item, path: child.path, depth: depth + 1, field: child.field });
    }
  }
  return [...problems].slice(0, MAX_REPORTED_PROBLEMS);
}
