/**
 * The configuration of a real Temporal server (`temporal-server start`), as plain data: what
 * `startTemporalServer` writes into its data dir. Pure, so a test can check it without a server.
 *
 * One process runs all four services (frontend, history, matching, worker), each on its own
 * loopback gRPC and membership port, like a small cluster on one machine. Unlike the dev server,
 * history is split into several shards, so workflows on different shards do not queue behind one
 * shard lock.
 */

export type TemporalPersistenceKind = 'sqlite' | 'postgres';

/** Where a Postgres-backed Temporal keeps its state: two databases on one server. */
export interface TemporalPostgres {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Both must exist with Temporal's schema (`setupTemporalPostgresSchema`). */
  readonly database: string;
  readonly visibilityDatabase: string;
}

export type TemporalServerPersistence =
  | {
      readonly kind: 'sqlite';
      /** Execution state; created with its schema on first start. */
      readonly file: string;
      /** Visibility (the workflow list and search attributes), a second file so its writes do not wait on execution writes. */
      readonly visibilityFile: string;
    }
  | ({ readonly kind: 'postgres' } & TemporalPostgres);

export interface TemporalServerPorts {
  readonly frontend: number;
  readonly frontendMembership: number;
  readonly history: number;
  readonly historyMembership: number;
  readonly matching: number;
  readonly matchingMembership: number;
  readonly worker: number;
  readonly workerMembership: number;
  /** Prometheus `/metrics` */
  readonly metrics: number;
}

export const TEMPORAL_SERVER_PORT_NAMES = [
  'frontend', 'frontendMembership', 'history', 'historyMembership', 'matching', 'matchingMembership', 'worker', 'workerMembership', 'metrics',
] as const satisfies readonly (keyof TemporalServerPorts)[];

/**
 * History shards per persistence. SQLite has one writer whatever the shard count, so a few shards
 * only end the shard-lock queue; Postgres writes shards in parallel. The count is fixed when the
 * database is first used and cannot change afterwards.
 */
export const DEFAULT_HISTORY_SHARDS: Readonly<Record<TemporalPersistenceKind, number>> = { sqlite: 4, postgres: 8 };

export interface TemporalServerConfigOptions {
  readonly persistence: TemporalServerPersistence;
  readonly ports: TemporalServerPorts;
  readonly historyShards?: number;
  /** Path of the dynamic config file the server polls. */
  readonly dynamicConfigFile: string;
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

const CLUSTER = 'active';
const LOOPBACK = '127.0.0.1';

/**
 * Dynamic config Herald relies on. Eager activity dispatch is off by default through server 1.31;
 * eager workflow start is on by default since 1.29.0, set here so the choice is explicit.
 */
export const BASE_DYNAMIC_CONFIG: Readonly<Record<string, string | number | boolean>> = {
  'system.enableActivityEagerExecution': true,
  'system.enableEagerWorkflowStart': true,
};

function datastore(persistence: TemporalServerPersistence, visibility: boolean): Record<string, unknown> {
  if (persistence.kind === 'sqlite') {
    return {
      sql: {
        pluginName: 'sqlite',
        databaseName: visibility ? persistence.visibilityFile : persistence.file,
        // Unused by SQLite, but required by the config schema.
        connectAddr: 'localhost',
        connectProtocol: 'tcp',
        // Keys the plugin does not know as URI parameters become pragmas. `setup` creates the
        // schema when the file is new (tables that already exist are not an error).
        connectAttributes: { mode: 'rwc', setup: 'true', journal_mode: 'wal', synchronous: 'OFF' },
        // The plugin allows one connection per file whatever is set here.
        maxConns: 1,
        maxIdleConns: 1,
        maxConnLifetime: '1h',
      },
    };
  }
  // Each of the four services opens its own pool; keep the total well under Postgres's default
  // max_connections (100), which Herald's own pools share.
  const conns = visibility ? 2 : 10;
  return {
    sql: {
      pluginName: 'postgres12',
      databaseName: visibility ? persistence.visibilityDatabase : persistence.database,
      connectAddr: `${persistence.host}:${persistence.port}`,
      connectProtocol: 'tcp',
      user: persistence.user,
      password: persistence.password,
      maxConns: conns,
      maxIdleConns: conns,
      maxConnLifetime: '1h',
    },
  };
}

function service(grpcPort: number, membershipPort: number): Record<string, unknown> {
  return { rpc: { grpcPort, membershipPort, bindOnIP: LOOPBACK } };
}

/** The server's static config (the YAML file it loads at start). */
export function temporalServerConfig(options: TemporalServerConfigOptions): Record<string, unknown> {
  const { persistence, ports } = options;
  const frontend = `${LOOPBACK}:${ports.frontend}`;
  return {
    log: { stdout: true, level: options.logLevel ?? 'warn', format: 'json' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: options.historyShards ?? DEFAULT_HISTORY_SHARDS[persistence.kind],
      datastores: { default: datastore(persistence, false), visibility: datastore(persistence, true) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: LOOPBACK },
      metrics: { prometheus: { framework: 'tally', listenAddress: `${LOOPBACK}:${ports.metrics}`, handlerPath: '/metrics' } },
    },
    services: {
      frontend: service(ports.frontend, ports.frontendMembership),
      history: service(ports.history, ports.historyMembership),
      matching: service(ports.matching, ports.matchingMembership),
      worker: service(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: CLUSTER,
      currentClusterName: CLUSTER,
      clusterInformation: { [CLUSTER]: { enabled: true, initialFailoverVersion: 1, rpcAddress: frontend } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    publicClient: { hostPort: frontend },
    dynamicConfigClient: { filepath: options.dynamicConfigFile, pollInterval: '10s' },
  };
}

/** The dynamic config file: each key holds a list of values with constraints; one unconstrained value here. */
export function temporalDynamicConfig(values: Readonly<Record<string, string | number | boolean>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries({ ...BASE_DYNAMIC_CONFIG, ...values }).map(([key, value]) => [key, [{ value, constraints: {} }]]));
}

/** YAML text of a config object. JSON is YAML, and needs no YAML library; the header says where it came from. */
export function toYamlText(document: Readonly<Record<string, unknown>>, header: string): string {
  return `${header.split('\n').map((line) => `# ${line}`).join('\n')}\n${JSON.stringify(document, null, 2)}\n`;
}
