import { readFileSync } from 'node:fs';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from '../config/config.js';

/** Connection options from config: plain gRPC locally, TLS/mTLS or an API key for a real cluster or Temporal Cloud. */
export function temporalConnectionOptions(temporal: Config['temporal'], address: string): NativeConnectionOptions {
  const { tls } = temporal;
  return {
    address,
    ...(temporal.apiKey ? { apiKey: temporal.apiKey } : {}),
    tls: tls.enabled
      ? {
          ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
          ...(tls.caPath ? { serverRootCACertificate: readFileSync(tls.caPath) } : {}),
          ...(tls.certPath && tls.keyPath
            ? { clientCertPair: { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } }
            : {}),
        }
      : false,
  };
}

/** One NativeConnection per process, shared by the client and the worker (needed for eager start). */
export async function connectTemporal(temporal: Config['temporal'], address: string): Promise<NativeConnection> {
  return NativeConnection.connect(temporalConnectionOptions(temporal, address));
}
