import { z } from 'zod';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Destination, StringMap } from '../domain/types.js';

/** Row shape and mapping for `destinations`; the secrets column is a secret-box sealed JSON document. */

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

const sealedSecretsSchema = z.object({
  credentials: z.record(z.string(), z.string()),
  deliveryMetadata: z.record(z.string(), z.string()),
});

export type DestinationSecrets = z.infer<typeof sealedSecretsSchema>;

export function sealSecrets(box: SecretBox, secrets: DestinationSecrets): Buffer {
  return box.seal(JSON.stringify({ credentials: secrets.credentials, deliveryMetadata: secrets.deliveryMetadata }));
}

export function toDestination(box: SecretBox, row: DestinationRow): Destination {
  const secrets = sealedSecretsSchema.parse(JSON.parse(box.open(row.secrets)));
  return {
    id: row.id,
    tenantId: row.tenant_id,
    type: row.type,
    topics: row.topics,
    filter: row.filter,
    config: row.config,
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
