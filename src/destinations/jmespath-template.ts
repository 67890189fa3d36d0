/**
 * JMESPath templates in destination config (a Kinesis partition key, an S3 object key): compiled
 * once per expression and evaluated over the event. `@jmespath-community/jmespath` is used for
 * its maintained, typed, dependency-free implementation; it passes the JMESPath compliance suite
 * that Outpost's Go library implements, so templates written for Outpost evaluate the same here.
 */
import { compile, TreeInterpreter, type JSONValue } from '@jmespath-community/jmespath';

type Compiled = ReturnType<typeof compile>;

/** Templates are few (one per destination); the cap only bounds a pathological number of them. */
const MAX_CACHED = 1_000;
const cache = new Map<string, Compiled>();

function compiled(expression: string): Compiled {
  let node = cache.get(expression);
  if (!node) {
    node = compile(expression);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(expression, node);
  }
  return node;
}

/** True when `expression` parses as JMESPath. */
export function isValidTemplate(expression: string): boolean {
  try {
    compiled(expression);
    return true;
  } catch {
    return false;
  }
}

/**
 * The template's result over `input` as a string: strings as they are, numbers, booleans as
 * their JSON text, arrays and objects as JSON; undefined for null or an empty string.
 * @throws Error when the expression does not parse or a function gets arguments of the wrong type.
 */
export function evaluateTemplate(expression: string, input: unknown): string | undefined {
  const result = TreeInterpreter.search(compiled(expression), input as JSONValue);
  if (result === null || result === undefined || result === '') return undefined;
  return typeof result === 'string' ? result : JSON.stringify(result);
}
