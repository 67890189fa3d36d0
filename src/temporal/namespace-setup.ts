import { msToTs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import { heraldSearchAttributes } from '../../workflows/search-attributes.js';
import type { Logger } from '../logger.js';

const IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;

/** What namespace setup calls: either connection type has these (the worker's NativeConnection, the client's Connection). */
export interface NamespaceServices {
  readonly workflowService: proto.temporal.api.workflowservice.v1.WorkflowService;
  readonly operatorService: proto.temporal.api.operatorservice.v1.OperatorService;
}

/** gRPC status ALREADY_EXISTS */
const ALREADY_EXISTS = 6;
const typeOf: Record<string, number> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * Registers Herald's search attributes that are missing (also on an existing dev-server db file,
 * where `--search-attribute` flags are ignored) and applies the retention, if one is given.
 * Idempotent; safe to run on every start.
 */
export async function setupNamespace(
  connection: NamespaceServices,
  options: { namespace: string; retentionDays?: number | undefined; logger: Logger },
): Promise<void> {
  const { namespace, retentionDays, logger } = options;
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = heraldSearchAttributes.filter((key) => !known.has(key.name));
  if (missing.length > 0) {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, typeOf[key.type]!])),
    });
    logger.info({ namespace, added: missing.map((k) => k.name) }, 'registered search attributes');
  }
  if (retentionDays !== undefined) {
    const seconds = retentionDays * 86_400;
    const described = await connection.workflowService.describeNamespace({ namespace });
    const current = Number(described.config?.workflowExecutionRetentionTtl?.seconds ?? 0);
    if (current !== seconds) {
      await connection.workflowService.updateNamespace({
        namespace,
        config: { workflowExecutionRetentionTtl: msToTs(seconds * 1000) },
      });
      logger.info({ namespace, retentionDays }, 'set namespace retention');
    }
  }
}

/**
 * Registers the namespace unless it exists (retention 1 day unless given). Herald itself never
 * creates namespaces on a cluster: that is the operator's decision; the servers Herald starts for
 * development and benchmarks use this.
 */
export async function registerNamespace(connection: NamespaceServices, options: { namespace: string; retentionDays?: number | undefined }): Promise<boolean> {
  try {
    await connection.workflowService.registerNamespace({
      namespace: options.namespace,
      workflowExecutionRetentionPeriod: msToTs((options.retentionDays ?? 1) * 86_400_000),
    });
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === ALREADY_EXISTS) return false;
    throw error;
  }
}
