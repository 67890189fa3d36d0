import { z } from 'zod';
import { ApiError, badRequest } from './errors.js';
import { inspectJson } from './json-guard.js';

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describe(issue: z.core.$ZodIssue, root: unknown): string {
  const path = issue.path.map(String).join('.') || 'body';
  if (issue.code !== 'unrecognized_keys' && valueAt(root, issue.path) === undefined) return `${path} is required`;
  if (issue.code === 'invalid_type' && !issue.message.startsWith('Invalid')) return `${path} ${issue.message}`;
  if (issue.code === 'invalid_type') return `${path} must be ${issue.expected === 'record' ? 'an object' : `a ${issue.expected}`}`;
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `${path === 'body' ? k : `${path}.${k}`} is not allowed`).join(', ');
  return `${path} ${issue.message}`;
}

/**
 * Parses a request body; failures are `validation error` with one message per field, 422 unless
 * the route's contract says otherwise. Text and nesting are checked first (`inspectJson`), so the
 * schema never walks a document too deep to walk safely.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, status: 400 | 422 = 422): z.output<S> {
  const problems = inspectJson(body);
  if (problems.length > 0) throw new ApiError(status, 'validation error', problems);
  const result = schema.safeParse(body ?? undefined);
  if (!result.success) throw new ApiError(status, 'validation error', result.error.issues.map((i) => describe(i, body)));
  return result.data;
}

/** Parses query parameters; failures are 400 with a message naming the parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const problems = inspectJson(query, 'query');
  if (problems.length > 0) throw badRequest(`invalid query: ${problems.join('; ')}`);
  const result = schema.safeParse(query);
  if (!result.success) throw badRequest(`invalid query: ${result.error.issues.map((i) => describe(i, query)).join('; ')}`);
  return result.data;
}

const listValue = z.union([z.string(), z.array(z.string()), z.record(z.string(), z.string())]);
const asList = (v: z.output<typeof listValue>) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v : Object.values(v));

/** `k=a`, `k[]=a&k[]=b` and `k[0]=a` all arrive as arrays. */
export const queryList = listValue.optional().transform((v) => (v === undefined ? undefined : asList(v)));

const amongAllowed = (allowed: readonly string[]) => (values: string[] | undefined, ctx: z.RefinementCtx) => {
  if (values?.some((value) => !allowed.includes(value))) {
    ctx.addIssue({ code: 'custom', message: `must be one of ${allowed.join(', ')}` });
  }
};

/** A list query parameter whose values must be among `allowed` (an enum in the contract): others are a 400. */
export const queryEnumList = (allowed: readonly string[]) =>
  queryList.superRefine(amongAllowed(allowed)).meta({ description: `Any of: ${allowed.join(', ')}.` });

/** `queryEnumList` that must be given, with at least one value. */
export const requiredQueryEnumList = (allowed: readonly string[]) =>
  listValue.transform(asList).superRefine(amongAllowed(allowed)).meta({ description: `One or more of: ${allowed.join(', ')}.` });

/**
 * Metadata maps (tenant and destination `metadata`, `delivery_metadata`, event `metadata`): the
 * contract types every value as a string, so other JSON values are refused, not coerced.
 */
export const metadataMap = z.record(z.string(), z.string({ error: 'must be a string' }));

/** Merge-patch variant: `null` deletes a key. */
export const metadataPatch = z.record(z.string(), z.string({ error: 'must be a string or null' }).nullable());

/**
 * Provider `config` / `credentials` maps accept any JSON scalar (coerced to string) and objects
 * (JSON-encoded), as Outpost does: the contract types some of their fields otherwise
 * (`credentials.rotate_secret` is a boolean, `custom_headers` may be sent as an object).
 */
export const providerMap = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
    .transform((v) => (typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v))),
);

/** Merge-patch variant: `null` deletes a key. */
export const providerMapPatch = z.record(
  z.string(),
  z.union([z.null(), z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
    .transform((v) => (v === null || typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v))),
);

const timeFilter = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be RFC 3339 or YYYY-MM-DD').transform((s) => new Date(s));

export const timeRange = z
  .object({ gte: timeFilter.optional(), lte: timeFilter.optional(), gt: timeFilter.optional(), lt: timeFilter.optional() })
  .strict()
  .optional();

/** `limit` outside 1..maxLimit is refused (400), as the contract's minimum and maximum say, not clamped. */
export const pageQuery = (defaultLimit: number, maxLimit: number) => ({
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a positive whole number')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be at least 1').max(maxLimit, `must be at most ${maxLimit}`))
    .optional()
    .transform((n) => n ?? defaultLimit),
  dir: z.enum(['asc', 'desc']).default('desc'),
  order_by: z.literal('time').optional(),
  next: z.string().min(1).optional(),
  prev: z.string().min(1).optional(),
});

/** A path parameter as a string (express 5 types them loosely when middleware precedes the handler). */
export function param(req: { params: Record<string, unknown> }, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}
