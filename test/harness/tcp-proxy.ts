import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy on loopback in front of a real service, for fault tests, on a port that stays the
 * same throughout: `cut()` drops every connection and closes each new one at once (the service
 * looks down), `stall()` accepts connections but forwards nothing (the service looks hung),
 * `refuse()` stops listening (connection refused), `restore()` forwards again. With
 * `{ listening: false }` it starts refusing.
 */
export async function startTcpProxy(target: string, options: { listening?: boolean } = {}) {
  const [host, port] = splitHostPort(target);
  let mode: 'forward' | 'cut' | 'stall' = 'forward';
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    track(client);
    if (mode === 'cut') return void client.destroy();
    if (mode === 'stall') return void client.on('error', () => undefined);
    const upstream = createConnection({ host, port });
    track(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const { port: proxyPort } = server.address() as AddressInfo;
  const stopListening = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  if (options.listening === false) await stopListening();
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    address: `127.0.0.1:${proxyPort}`,
    port: proxyPort,
    cut() {
      mode = 'cut';
      dropAll();
    },
    stall() {
      mode = 'stall';
      dropAll();
    },
    async refuse() {
      dropAll();
      await stopListening();
    },
    async restore() {
      mode = 'forward';
      if (!server.listening) await listen(proxyPort);
    },
    async close() {
      dropAll();
      await stopListening();
    },
  };
}

export type TcpProxy = Awaited<ReturnType<typeof startTcpProxy>>;

function splitHostPort(address: string): [string, number] {
  const index = address.lastIndexOf(':');
  return [address.slice(0, index), Number(address.slice(index + 1))];
}
