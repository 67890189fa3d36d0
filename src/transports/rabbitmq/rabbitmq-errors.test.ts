import { describe, expect, it } from 'vitest';
import { TransportError } from '../errors.js';
import { RABBITMQ_ERROR_MESSAGES, classifyRabbitMqError } from './rabbitmq-errors.js';
import { amqpUrl } from './rabbitmq-publisher.js';

const withCode = (code: string | number, message = 'boom') => Object.assign(new Error(message), { code });

describe('classifyRabbitMqError', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED'), 'connection_refused', true],
    ['a reset connection', withCode('ECONNRESET'), 'connection_reset', true],
    ['an unknown host', withCode('ENOTFOUND'), 'dns_error', true],
    ['a bad certificate', withCode('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls_error', true],
    ['a handshake that timed out', new Error('connect ETIMEDOUT'), 'timeout', true],
    ['a refused login', new Error('Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused"'), 'auth_failed', false],
    ['a channel refused access', withCode(403, 'Channel closed by server: 403 (ACCESS-REFUSED)'), 'auth_failed', false],
    ['a missing vhost', new Error('Expected ConnectionOpenOk; got <ConnectionClose channel:0 {"replyCode":530,"replyText":"NOT_ALLOWED - vhost x not found"}>'), 'access_denied', false],
    ['a missing exchange', withCode(404, 'Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - no exchange \'x\'"'), 'exchange_not_found', false],
    ['an exchange of another type', withCode(406, 'Channel closed by server: 406 (PRECONDITION-FAILED)'), 'exchange_mismatch', false],
    ['a forced close', withCode(320, 'Connection closed: 320 (CONNECTION-FORCED)'), 'connection_forced', true],
    ['a nack', new Error('message nacked'), 'nacked', true],
    ['a channel closed before the confirm', new Error('channel closed'), 'channel_error', true],
    ['a socket closed during the handshake', new Error('Socket closed abruptly during opening handshake'), 'channel_error', true],
    ['anything else', new Error('???'), 'rabbitmq_error', true],
  ])('when RabbitMQ fails with %s, then the code is %s (retryable: %s)', (_case, error, code, retryable) => {
    expect(classifyRabbitMqError(error)).toMatchObject({ code, retryable });
  });

  it('when classifying, then the message is the fixed text and the driver error is the cause', () => {
    const raw = new Error('Handshake terminated by server: 403 (ACCESS-REFUSED) user secret-user');

    const failure = classifyRabbitMqError(raw);

    expect(failure).toBeInstanceOf(TransportError);
    expect(failure.message).toBe(RABBITMQ_ERROR_MESSAGES.auth_failed);
    expect(failure.cause).toBe(raw);
  });
});

describe('amqpUrl', () => {
  it.each([
    ['rabbit.example.com:5672', false, 'amqp://rabbit.example.com:5672?heartbeat=30'],
    ['rabbit.example.com:5671', true, 'amqps://rabbit.example.com:5671?heartbeat=30'],
    ['127.0.0.1:5672/tenant-vhost', false, 'amqp://127.0.0.1:5672/tenant-vhost?heartbeat=30'],
    ['[::1]:5672', false, 'amqp://[::1]:5672?heartbeat=30'],
  ])('when the server is %s (tls %s), then the URL is %s', (server, tls, expected) => {
    expect(amqpUrl(server, tls)).toBe(expected);
  });

  it.each(['user:pass@host:5672', 'host:notaport', ':5672'])('when the server is %s, then it is refused', (server) => {
    expect(() => amqpUrl(server, false)).toThrow();
  });
});
