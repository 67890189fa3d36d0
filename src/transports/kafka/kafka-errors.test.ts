import { AuthenticationError, MultipleErrors, NetworkError, ProtocolError, TimeoutError, UserError } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { classifyKafkaError } from './kafka-errors.js';

/** How the client reports a failed connection: every broker's failure, each with its cause. */
const cannotConnect = (cause: Error) => new MultipleErrors('Cannot connect to any broker.', [new NetworkError('Connection to 10.1.2.3:9092 failed.', { cause })]);
const sysError = (code: string) => Object.assign(new Error(`${code} 10.1.2.3:9092`), { code });

describe('classifyKafkaError', () => {
  it.each([
    { name: 'a refused connection', error: cannotConnect(sysError('ECONNREFUSED')), code: 'connection_refused', retryable: true },
    { name: 'an unknown host', error: cannotConnect(sysError('ENOTFOUND')), code: 'dns_error', retryable: true },
    { name: 'a rejected SASL password', error: cannotConnect(new AuthenticationError('SASL authentication failed.', { cause: new ProtocolError('SASL_AUTHENTICATION_FAILED') })), code: 'auth_failed', retryable: false },
    { name: 'a mechanism the listener lacks', error: cannotConnect(new AuthenticationError('Cannot find a suitable SASL mechanism.')), code: 'auth_failed', retryable: false },
    { name: 'a TLS handshake with a plaintext listener', error: cannotConnect(new UserError('TLS handshake failed. Please verify the broker supports TLS.', { cause: sysError('ECONNRESET') })), code: 'tls_error', retryable: true },
    { name: 'a missing topic', error: new UserError('Unknown topic orders.'), code: 'topic_not_found', retryable: false },
    { name: 'UNKNOWN_TOPIC_OR_PARTITION', error: new ProtocolError('UNKNOWN_TOPIC_OR_PARTITION'), code: 'topic_not_found', retryable: false },
    { name: 'an invalid topic name', error: new ProtocolError('INVALID_TOPIC_EXCEPTION'), code: 'invalid_topic', retryable: false },
    { name: 'a write the ACLs forbid', error: new ProtocolError('TOPIC_AUTHORIZATION_FAILED'), code: 'access_denied', retryable: false },
    { name: 'a record too large', error: new ProtocolError('MESSAGE_TOO_LARGE'), code: 'message_too_large', retryable: false },
    { name: 'a quota', error: new ProtocolError('THROTTLING_QUOTA_EXCEEDED'), code: 'throttled', retryable: true },
    { name: "the client's own timeout", error: new TimeoutError('Request timed out.'), code: 'timeout', retryable: true },
    { name: 'a socket the broker closed', error: new NetworkError('Connection closed'), code: 'connection_reset', retryable: true },
    { name: 'anything else', error: new Error('odd'), code: 'kafka_error', retryable: true },
  ])('when the client fails with $name, then the code is $code', ({ error, code, retryable }) => {
    const failure = classifyKafkaError(error);

    expect(failure).toMatchObject({ code, retryable });
    expect(failure.message).not.toContain('10.1.2.3');
    expect(failure.cause).toBe(error);
  });
});
