import { createServer } from 'node:net';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer().once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/**
 * A TCP port free on 127.0.0.1 right now, picked at random in [20000, 32768): below Linux's
 * ephemeral range (32768+), where the ports servers bind for themselves land, so the two cannot
 * race; and below 32768 because Temporal's SQL schemas store membership ports as smallint.
 */
export async function freeLoopbackPort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (await portIsFree(port)) return port;
  }
  throw new Error('no free port in 20000-32767');
}
