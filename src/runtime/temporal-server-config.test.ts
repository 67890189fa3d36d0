import { describe, expect, it } from 'vitest';
import {
  TEMPORAL_SERVER_PORT_NAMES, temporalDynamicConfig, temporalServerConfig, toYamlText,
  type TemporalServerConfigOptions, type TemporalServerPorts,
} from './temporal-server-config.js';

const ports = Object.fromEntries(TEMPORAL_SERVER_PORT_NAMES.map((name, i) => [name, 21_000 + i])) as unknown as TemporalServerPorts;
const sqlite: TemporalServerConfigOptions = {
  persistence: { kind: 'sqlite', file: '/data/temporal.db', visibilityFile: '/data/temporal-visibility.db' },
  ports,
  dynamicConfigFile: '/data/dynamic-config.yaml',
};
const postgres: TemporalServerConfigOptions = {
  persistence: { kind: 'postgres', host: '127.0.0.1', port: 5544, user: 'postgres', password: 'pw', database: 'temporal', visibilityDatabase: 'temporal_visibility' },
  ports,
  dynamicConfigFile: '/data/dynamic-config.yaml',
};

type Json = Record<string, any>;
const sqlOf = (config: Json, store: string): Json => config.persistence.datastores[config.persistence[store]].sql;

describe('temporalServerConfig', () => {
  it('when the persistence is SQLite, then 4 shards, one file each for execution and visibility, WAL and no fsync, schema created by the server', () => {
    const config: Json = temporalServerConfig(sqlite);
    expect(config.persistence.numHistoryShards).toBe(4);
    const main = sqlOf(config, 'defaultStore');
    const visibility = sqlOf(config, 'visibilityStore');
    expect(main).toMatchObject({ pluginName: 'sqlite', databaseName: '/data/temporal.db' });
    expect(visibility).toMatchObject({ pluginName: 'sqlite', databaseName: '/data/temporal-visibility.db' });
    expect(main.connectAttributes).toEqual({ mode: 'rwc', setup: 'true', journal_mode: 'wal', synchronous: 'OFF' });
    // Every attribute is a string: the server reads them into map[string]string.
    expect(Object.values(main.connectAttributes).every((v) => typeof v === 'string')).toBe(true);
  });

  it('when the persistence is Postgres, then 8 shards on two databases, with pools that fit Postgres default connection limit', () => {
    const config: Json = temporalServerConfig(postgres);
    expect(config.persistence.numHistoryShards).toBe(8);
    const main = sqlOf(config, 'defaultStore');
    const visibility = sqlOf(config, 'visibilityStore');
    expect(main).toMatchObject({ pluginName: 'postgres12', databaseName: 'temporal', connectAddr: '127.0.0.1:5544', user: 'postgres', password: 'pw' });
    expect(visibility).toMatchObject({ pluginName: 'postgres12', databaseName: 'temporal_visibility' });
    // Four services, each with its own pools, beside Herald's api and worker pools (20 each).
    expect(4 * (main.maxConns + visibility.maxConns)).toBeLessThanOrEqual(100 - 40);
  });

  it('when a shard count is given, then it wins over the default', () => {
    expect((temporalServerConfig({ ...postgres, historyShards: 16 }) as Json).persistence.numHistoryShards).toBe(16);
  });

  it('when generated, then every service and the metrics endpoint listen on loopback on the given ports, and the frontend is the public client', () => {
    const config: Json = temporalServerConfig(sqlite);
    for (const name of ['frontend', 'history', 'matching', 'worker'] as const) {
      expect(config.services[name].rpc).toEqual({ grpcPort: ports[name], membershipPort: ports[`${name}Membership`], bindOnIP: '127.0.0.1' });
    }
    expect(config.global.membership.broadcastAddress).toBe('127.0.0.1');
    expect(config.global.metrics.prometheus.listenAddress).toBe(`127.0.0.1:${ports.metrics}`);
    expect(config.publicClient.hostPort).toBe(`127.0.0.1:${ports.frontend}`);
    expect(config.clusterMetadata.clusterInformation[config.clusterMetadata.currentClusterName].rpcAddress).toBe(`127.0.0.1:${ports.frontend}`);
    expect(config.dynamicConfigClient).toEqual({ filepath: '/data/dynamic-config.yaml', pollInterval: '10s' });
    expect(config.archival.history.state).toBe('disabled');
  });
});

describe('temporalDynamicConfig', () => {
  it('when nothing is added, then eager activity dispatch and eager workflow start are on', () => {
    expect(temporalDynamicConfig({})).toEqual({
      'system.enableActivityEagerExecution': [{ value: true, constraints: {} }],
      'system.enableEagerWorkflowStart': [{ value: true, constraints: {} }],
    });
  });

  it('when values are given, then they are added and win over the base', () => {
    const config = temporalDynamicConfig({ 'system.enableActivityEagerExecution': false, 'limit.historyCount.suggestContinueAsNew': 300 });
    expect(config['system.enableActivityEagerExecution']).toEqual([{ value: false, constraints: {} }]);
    expect(config['limit.historyCount.suggestContinueAsNew']).toEqual([{ value: 300, constraints: {} }]);
  });
});

describe('toYamlText', () => {
  it('when written, then the header is YAML comments and the body reads back as the same document', () => {
    const text = toYamlText(temporalServerConfig(sqlite), 'generated\ndo not edit');
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).toEqual(['# generated', '# do not edit']);
    expect(JSON.parse(lines.slice(2).join('\n'))).toEqual(temporalServerConfig(sqlite));
  });
});
