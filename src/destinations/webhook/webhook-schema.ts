/**
 * The webhook destination's `config` / `credentials`: one zod schema per map (the validation
 * authority) and the declarative field list served by `/destination-types`, kept side by side so
 * validation, masking and the served description cannot drift apart.
 */
import { z } from 'zod';
import type { StringMap } from '../../domain/types.js';
import type { DestinationSchemaField } from '../types.js';
import { issuesToMessages, requiredStringError } from '../validation.js';
import { PREVIOUS_SECRET, PREVIOUS_SECRET_INVALID_AT, ROTATE_SECRET, SECRET } from './secrets.js';

/** Custom header names: a subset of HTTP token characters, as Outpost accepts them. */
export const HEADER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Header values undici accepts: no control characters, nothing above U+00FF. */
export const HEADER_VALUE_PATTERN = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Not settable through `custom_headers`: Outpost's five plus the hop-by-hop headers that would make
 * the HTTP client reject the request at send time.
 */
export const RESERVED_HEADER_NAMES: ReadonlySet<string> = new Set([
  'content-type',
  'content-length',
  'host',
  'connection',
  'user-agent',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'proxy-connection',
]);

/** For UIs (HTML5 pattern); the schema below also requires a parseable http(s) URL. */
const URL_FIELD_PATTERN = '^https?://[^\\s/?#@]+(?:[/?#]\\S*)?$';
const URL_REGEX = new RegExp(URL_FIELD_PATTERN, 'i');

export interface WebhookConfig {
  readonly url: URL;
  /** Lower-cased names. */
  readonly customHeaders: Readonly<Record<string, string>>;
}

function isHttpUrl(value: string): boolean {
  if (!URL_REGEX.test(value) || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

function headerIssue(name: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return 'invalid_type';
  if (!HEADER_NAME_PATTERN.test(name)) return 'pattern';
  if (RESERVED_HEADER_NAMES.has(name.toLowerCase())) return 'forbidden';
  if (value === '') return 'required';
  return HEADER_VALUE_PATTERN.test(value) ? undefined : 'invalid';
}

function parseCustomHeaders(raw: string | undefined, ctx: z.RefinementCtx): Record<string, string> {
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    ctx.addIssue({ code: 'custom', path: ['custom_headers'], message: 'invalid' });
    return {};
  }
  const entries = Object.entries(parsed);
  for (const [name, value] of entries) {
    const rule = headerIssue(name, value);
    if (rule !== undefined) ctx.addIssue({ code: 'custom', path: ['custom_headers', name], message: rule });
  }
  return Object.fromEntries(entries.map(([name, value]) => [name.toLowerCase(), String(value)]));
}

const webhookConfigSchema = z
  .looseObject({
    url: z.string({ error: requiredStringError }).min(1, { error: 'required', abort: true }).refine(isHttpUrl, 'invalid'),
    custom_headers: z.string({ error: requiredStringError }).optional(),
  })
  .transform((config, ctx): WebhookConfig => {
    const customHeaders = parseCustomHeaders(config.custom_headers, ctx);
    return { url: new URL(config.url), customHeaders };
  });

const optionalString = z.string({ error: requiredStringError }).optional();

const webhookCredentialsSchema = z.looseObject({
  [SECRET]: optionalString,
  [PREVIOUS_SECRET]: optionalString,
  [PREVIOUS_SECRET_INVALID_AT]: z.union([z.literal(''), z.iso.datetime({ offset: true, error: 'pattern' })]).optional(),
  [ROTATE_SECRET]: optionalString,
});

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: string[] };

export function parseWebhookConfig(config: StringMap): ParseResult<WebhookConfig> {
  const result = webhookConfigSchema.safeParse(config);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, issues: issuesToMessages('config', result.error.issues) };
}

/** Format checks only; role and rotation rules live in `secrets.ts`. */
export function checkWebhookCredentials(credentials: StringMap): string[] {
  const result = webhookCredentialsSchema.safeParse(credentials);
  return result.success ? [] : issuesToMessages('credentials', result.error.issues);
}

export const WEBHOOK_CONFIG_FIELDS: readonly DestinationSchemaField[] = [
  {
    key: 'url',
    type: 'text',
    label: 'URL',
    description: 'The URL that receives events as HTTP POST requests.',
    required: true,
    sensitive: false,
    pattern: URL_FIELD_PATTERN,
    placeholder: 'https://example.com/webhooks',
  },
  {
    key: 'custom_headers',
    type: 'key_value_map',
    label: 'Custom headers',
    description:
      'Extra HTTP headers sent with every request, as a JSON object of strings. Names use letters, digits, "-" and "_"; Content-Type, Host, User-Agent and connection headers are reserved.',
    required: false,
    sensitive: false,
    key_placeholder: 'Header name',
    value_placeholder: 'Header value',
  },
];

/** Webhook secrets are shown unmasked (Outpost behaviour): the receiver needs them to verify. */
export const WEBHOOK_CREDENTIAL_FIELDS: readonly DestinationSchemaField[] = [
  {
    key: SECRET,
    type: 'text',
    label: 'Signing secret',
    description:
      'Secret used to sign each request. Generated when omitted; only admins may set it. Send "rotate_secret": true on update to rotate it.',
    required: false,
    sensitive: false,
  },
  {
    key: PREVIOUS_SECRET,
    type: 'text',
    label: 'Previous signing secret',
    description: 'The secret replaced by the last rotation; requests carry its signature too until it expires.',
    required: false,
    sensitive: false,
  },
  {
    key: PREVIOUS_SECRET_INVALID_AT,
    type: 'text',
    label: 'Previous secret expires at',
    description: 'RFC 3339 time after which the previous secret stops signing (default: 24 hours after rotation).',
    required: false,
    sensitive: false,
  },
];
