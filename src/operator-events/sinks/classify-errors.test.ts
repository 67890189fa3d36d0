import { describe, expect, it } from 'vitest';
import { isRetryableStatus, outpostSignature } from './http-sink.js';
import { classifyPubSubError } from './pubsub-sink.js';
import { classifyRabbitMqError } from './rabbitmq-sink.js';

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('operator-event sink error classification', () => {
  it('when signing, then the signature is v0= and the hex HMAC-SHA256 of the raw body (vector from Python hmac)', () => {
    expect(outpostSignature('whsec-test', Buffer.from('{"id":"evt_1","topic":"attempt.success"}')))
      .toBe('v0=93b162754136e0a3af999e338fcf5b83017b6a2910710b0dc2647398445e8a82');
  });

  it.each([
    [500, true], [502, true], [503, true], [408, true], [429, true], [400, false], [401, false], [403, false], [404, false], [410, false],
  ])('when the HTTP status is %i, then retryable is %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });

  it.each([
    ['NOT_FOUND', { code: 5, details: 'Topic not found' }, 'topic_not_found', false],
    ['PERMISSION_DENIED', { code: 7, details: '' }, 'auth_failed', false],
    ['UNAUTHENTICATED', { code: 16, details: '' }, 'auth_failed', false],
    ['INVALID_ARGUMENT', { code: 3, details: '' }, 'invalid_request', false],
    ['RESOURCE_EXHAUSTED', { code: 8, details: '' }, 'throttled', true],
    ['DEADLINE_EXCEEDED', { code: 4, details: '' }, 'timeout', true],
    ['UNAVAILABLE (refused)', { code: 14, details: 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1' }, 'connection_refused', true],
    ['UNAVAILABLE (other)', { code: 14, details: 'Connection dropped' }, 'unavailable', true],
    ['INTERNAL', { code: 13, details: '' }, 'pubsub_error', true],
  ])('when Pub/Sub fails with %s, then the code is %s (retryable: %s)', (_case, error, code, retryable) => {
    expect(classifyPubSubError(Object.assign(new Error('x'), error))).toMatchObject({ code, retryable });
  });

  it.each([
    ['a refused connection', withCode('ECONNREFUSED'), 'connection_refused', true],
    ['a reset connection', withCode('ECONNRESET'), 'connection_reset', true],
    ['a refused login', new Error('Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused"'), 'auth_failed', false],
    ['a missing vhost', new Error('Expected ConnectionOpenOk; got <ConnectionClose channel:0 {"replyCode":530,"replyText":"NOT_ALLOWED - vhost x not found"}>'), 'access_denied', false],
    ['an exchange of another type', Object.assign(new Error('Channel closed by server: 406 (PRECONDITION-FAILED)'), { code: 406 }), 'exchange_mismatch', false],
    ['a forced close', Object.assign(new Error('Connection closed: 320 (CONNECTION-FORCED)'), { code: 320 }), 'connection_forced', true],
    ['a nack', new Error('message nacked'), 'nacked', true],
    ['a channel closed before the confirm', new Error('channel closed'), 'channel_error', true],
    ['anything else', new Error('???'), 'rabbitmq_error', true],
  ])('when RabbitMQ fails with %s, then the code is %s (retryable: %s)', (_case, error, code, retryable) => {
    expect(classifyRabbitMqError(error)).toMatchObject({ code, retryable });
  });

  it('when classifying, then the driver message is not copied into the SinkError', () => {
    const error = classifyRabbitMqError(new Error('Handshake terminated by server: 403 (ACCESS-REFUSED) secret-user'));
    expect(error.message).not.toContain('secret-user');
  });
});
