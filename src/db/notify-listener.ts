import pg from 'pg';
import type { Logger } from '../logger.js';
import { backoffDelay } from '../process/backoff.js';

/**
 * One dedicated connection that LISTENs on a Postgres channel and reconnects when it drops.
 * `onNotify` gets each payload; `onState(true)` is called once listening (again after every
 * reconnect) and `onState(false)` when the connection is lost: notifications sent while it was
 * down are gone, so a listener's user must treat what it derived from them as unknown until the
 * next `onState(true)`.
 */
export interface NotifyListener {
  readonly listening: boolean;
  close(): Promise<void>;
}

export interface NotifyListenerOptions {
  readonly databaseUrl: string;
  readonly channel: string;
  readonly logger: Logger;
  onNotify(payload: string): void;
  onState(listening: boolean): void;
}

export function listenForNotifications(options: NotifyListenerOptions): NotifyListener {
  const { channel, logger } = options;
  let client: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | undefined;

  const setListening = (value: boolean) => {
    if (listening === value) return;
    listening = value;
    options.onState(value);
  };

  const reconnectLater = () => {
    if (closed || retryTimer) return;
    failures += 1;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, backoffDelay(failures));
    retryTimer.unref();
  };

  const lost = (error?: Error) => {
    if (client === null) return;
    const gone = client;
    client = null;
    setListening(false);
    gone.removeAllListeners();
    gone.on('error', () => undefined);
    void gone.end().catch(() => undefined);
    if (!closed) {
      if (failures === 0) logger.warn({ err: error, channel }, 'Postgres notification connection lost; reconnecting');
      reconnectLater();
    }
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const next = new pg.Client({
      connectionString: options.databaseUrl, application_name: `herald-listen-${channel}`,
      connectionTimeoutMillis: 5_000, keepAlive: true,
    });
    client = next;
    next.on('error', (error) => lost(error));
    next.on('end', () => lost());
    next.on('notification', (message) => {
      if (message.channel === channel) options.onNotify(message.payload ?? '');
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (closed || client !== next) return;
      failures = 0;
      setListening(true);
    } catch (error) {
      if (client === next) lost(error as Error);
    }
  }

  void connect();
  return {
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const current = client;
      client = null;
      setListening(false);
      if (current) {
        current.removeAllListeners();
        current.on('error', () => undefined);
        await current.end().catch(() => undefined);
      }
    },
  };
}
