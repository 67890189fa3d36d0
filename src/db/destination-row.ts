import { z } from 'zod';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Destination, StringMap } from '../domain/types.js';

/**
 * Row shape and mapping for `destinations`. The secrets column is a secret-box sealed JSON document
 * holding the credentials, the delivery metadata and the sealed part of the config; the `config`
 * column holds the rest of the config in clear.
 */

export interface DestinationRow {
  id: string;
  tenant_id: string;
  type: string;
  topics: string[];
  filter: Record<string, unknown> | null;
  config: StringMap;
  secrets: Buffer;
  metadata: StringMap;
  created_at: Date;
  updated_at: Date;
  disabled_at: Date | null;
  failing: boolean;
}

export const DESTINATION_COLUMNS =
  'id, tenant_id, type, topics, filter, config, secrets, metadata, created_at, updated_at, disabled_at, failing';

/**
 * Config keys whose values are secrets to their users, sealed with the credentials rather than kept
 * in the clear `config` column: webhook `custom_headers` typically carry API keys. API responses
 * still show them, as the contract shows all of `config`.
 */
export const SEALED_CONFIG_KEYS: readonly string[] = ['custom_headers'];

const sealedSecretsSchema = z.object({
  credentials: z.record(z.string(), z.string()),
  deliveryMetadata: z.record(z.string(), z.string()),
  // Absent in documents sealed before config keys were sealed; those rows keep them in `config`.
  config: z.record(z.string(), z.string()).default({}),
});

export type DestinationSecrets = Pick<Destination, 'credentials' | 'deliveryMetadata' | 'config'>;

function splitConfig(config: StringMap): { clear: StringMap; sealed: StringMap } {
  const clear: StringMap = {};
  const sealed: StringMap = {};
  for (const [key, value] of Object.entries(config)) {
    (SEALED_CONFIG_KEYS.includes(key) ? sealed : clear)[key] = value;
  }
  return { clear, sealed };
}

/** The `config` column's value: the config without its sealed keys. */
export function clearConfig(config: StringMap): StringMap {
  return splitConfig(config).clear;
}

export function sealSecrets(box: SecretBox, secrets: DestinationSecrets): Buffer {
  const { sealed } = splitConfig(secrets.config);
  return box.seal(JSON.stringify({ credentials: secrets.credentials, deliveryMetadata: secrets.deliveryMetadata, config: sealed }));
}

/** Reads rows written either way: a sealed config key wins over a clear one of the same name. */
export function toDestination(box: SecretBox, row: DestinationRow): Destination {
  const secrets = sealedSecretsSchema.parse(JSON.parse(box.open(row.secrets)));
  return {
    id: row.id,
    tenantId: row.tenant_id,
    type: row.type,
    topics: row.topics,
    filter: row.filter,
    config: { ...row.config, ...secrets.config },
    credentials: secrets.credentials,
    deliveryMetadata: secrets.deliveryMetadata,
    metadata: row.metadata,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    disabledAt: row.disabled_at,
    failing: row.failing,
  };
}

/** Serialises a JSON column value; pg would turn a top-level array into a Postgres array literal. */
export function jsonParam(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
