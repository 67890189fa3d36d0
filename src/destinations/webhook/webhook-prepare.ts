/** `prepare` and `present` for webhook destinations: validation, secret policy and display. */
import type { Destination, StringMap } from '../../domain/types.js';
import { maskCredentials } from '../credentials-mask.js';
import { DestinationValidationError } from '../errors.js';
import type { WebhookMode } from '../options.js';
import type { PrepareInput, PreparedDestination, PresentedDestination } from '../types.js';
import type { SecretGenerator } from './secrets.js';
import { resolveWebhookCredentials, visibleCredentials } from './secrets.js';
import { WEBHOOK_CREDENTIAL_FIELDS, checkWebhookCredentials, parseWebhookConfig } from './webhook-schema.js';

export interface WebhookPrepareSettings {
  readonly mode: WebhookMode;
  readonly generate: SecretGenerator;
}

/** Keeps config as given (unknown keys included) minus an empty `custom_headers`. */
function normaliseConfig(config: StringMap): StringMap {
  return Object.fromEntries(
    Object.entries(config).filter(([key, value]) => !(key === 'custom_headers' && value.trim() === '')),
  );
}

/** @throws DestinationValidationError listing every problem found. */
export function prepareWebhookDestination(input: PrepareInput, settings: WebhookPrepareSettings): PreparedDestination {
  const configResult = parseWebhookConfig(input.config);
  const issues = configResult.ok ? [] : [...configResult.issues];
  const formatIssues = checkWebhookCredentials(input.credentials);
  issues.push(...formatIssues);
  if (formatIssues.length > 0) throw new DestinationValidationError(issues);
  const credentials = resolveWebhookCredentials({
    credentials: input.credentials,
    role: input.role,
    existing: input.existing?.credentials,
    now: input.now,
    mode: settings.mode,
    generate: settings.generate,
  });
  if (!credentials.ok) issues.push(...credentials.issues);
  if (issues.length > 0 || !credentials.ok) throw new DestinationValidationError(issues);
  return { config: normaliseConfig(input.config), credentials: credentials.credentials };
}

/** `host[:port]/path` — no scheme, no query string (which may carry tokens). */
export function webhookTarget(rawUrl: string | undefined): string {
  if (rawUrl === undefined || !URL.canParse(rawUrl)) return '';
  const url = new URL(rawUrl);
  return url.pathname === '/' ? url.host : `${url.host}${url.pathname}`;
}

export function presentWebhookDestination(destination: Destination, now: Date): PresentedDestination {
  const credentials = maskCredentials(visibleCredentials(destination.credentials, now), WEBHOOK_CREDENTIAL_FIELDS);
  return { credentials, target: webhookTarget(destination.config['url']) };
}
