import { createConnection, createServer, type Socket } from 'node:net';
import { freePort } from './postgres.js';

export interface TcpForwarder {
  readonly port: number;
  /** Starts accepting on `port` and forwarding to the target. */
  open(): Promise<void>;
  /** Stops accepting and cuts every forwarded connection: the target looks gone to its clients. */
  cut(): Promise<void>;
}

/**
 * A loopback TCP forwarder on a fixed port, in front of a real service (Postgres, Temporal), that
 * a test can cut and restore: clients see connection refused while it is cut, as in an outage.
 * It starts cut.
 */
export async function createTcpForwarder(target: { host: string; port: number }): Promise<TcpForwarder> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(target);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return {
    port,
    open: () => new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    }),
    cut: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    }),
  };
}
