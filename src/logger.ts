import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths that may carry secrets; pino replaces their values before anything is written. */
const redact = [
  'config.db.encryptionSecret', 'config.api.apiKey', 'config.api.jwtSecret', 'config.temporal.apiKey',
  '*.credentials', '*.secret', '*.password', 'req.headers.authorization', 'headers.authorization',
];

export function createLogger(options: { level: string; format: 'json' | 'pretty'; name?: string }): Logger {
  return pino({
    name: options.name ?? 'herald',
    level: options.level,
    redact: { paths: redact, censor: '[redacted]' },
    ...(options.format === 'pretty'
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  });
}
