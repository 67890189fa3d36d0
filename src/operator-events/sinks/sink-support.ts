/**
 * What every operator-event sink shares: the wire encoding and turning driver
 * failures into `SinkError`s with stable codes, so alerting and retries key on a small vocabulary
 * rather than on driver wording. Raw driver messages are logged
 * here and never copied into the SinkError.
 */
import { classifyTransportError } from '../../transports/network-errors.js';
import type { Logger } from '../../logger.js';
import { SinkError, type OperatorEvent, type SinkConfig } from '../types.js';

export type SinkLogger = Pick<Logger, 'warn' | 'debug'>;

export interface SinkDeps {
  readonly logger: SinkLogger;
}

/** Deadline for one send on sinks whose config has none (SQS, Pub/Sub, RabbitMQ). */
export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

/** The envelope exactly as sent: one JSON document, UTF-8. */
export function encodeEnvelope(event: OperatorEvent): Buffer {
  return Buffer.from(JSON.stringify(event), 'utf8');
}

const MESSAGES: Readonly<Record<string, string>> = {
  timeout: 'the sink did not accept the event before the deadline',
  aborted: 'the send was cancelled by the caller',
  sink_closed: 'the sink is closed',
  dns_error: 'the sink host name could not be resolved',
  connection_refused: 'the sink refused the connection',
  connection_reset: 'the sink closed the connection',
  network_unreachable: 'the sink network is unreachable',
  tls_error: 'the TLS handshake with the sink failed',
  auth_failed: 'the sink rejected the credentials',
  invalid_config: 'the sink configuration is invalid',
};

/** A SinkError with the standard text for `code` (or `message`); transport problems are retryable. */
export function sinkError(kind: SinkConfig['kind'], code: string, retryable: boolean, message?: string): SinkError {
  return new SinkError(`${kind} operator-event sink: ${message ?? MESSAGES[code] ?? code.replaceAll('_', ' ')}`, code, retryable);
}

/** `timeout`, `dns_error`, `connection_refused`, … for Node/undici network errors; undefined otherwise. */
export function networkErrorCode(error: unknown): string | undefined {
  const { code } = classifyTransportError(error);
  return code === 'network_error' ? undefined : code;
}

/** Logs the raw failure once, with its code, and returns the SinkError to throw. */
export function reportFailure(deps: SinkDeps, failure: SinkError, raw: unknown, extra: Record<string, unknown> = {}): SinkError {
  deps.logger.warn({ err: raw, code: failure.code, retryable: failure.retryable, ...extra }, failure.message);
  return failure;
}

/** The `close()` every sink exposes: runs `release` once; later calls get the same promise. */
export function closeOnce(release: () => Promise<void>): { readonly close: () => Promise<void>; readonly closed: boolean } {
  let closing: Promise<void> | undefined;
  return {
    close: () => (closing ??= release().catch(() => undefined)),
    get closed() {
      return closing !== undefined;
    },
  };
}
