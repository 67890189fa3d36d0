import { describe, expect, it } from 'vitest';
import { PUBSUB_ERROR_MESSAGES, classifyPubSubError } from './pubsub-errors.js';
import { pubSubClientConfig } from './pubsub-publisher.js';

const grpcError = (code: number, details = '') => Object.assign(new Error(`${code} ${details}`), { code, details });

describe('classifyPubSubError', () => {
  it.each([
    ['NOT_FOUND', grpcError(5, 'Topic not found'), 'topic_not_found', false],
    ['PERMISSION_DENIED', grpcError(7), 'auth_failed', false],
    ['UNAUTHENTICATED', grpcError(16), 'auth_failed', false],
    ['INVALID_ARGUMENT', grpcError(3), 'invalid_request', false],
    ['FAILED_PRECONDITION', grpcError(9), 'invalid_request', false],
    ['RESOURCE_EXHAUSTED', grpcError(8), 'throttled', true],
    ['DEADLINE_EXCEEDED', grpcError(4), 'timeout', true],
    ['UNAVAILABLE (refused)', grpcError(14, 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1'), 'connection_refused', true],
    ['UNAVAILABLE (unknown host)', grpcError(14, 'Name resolution failed for target dns:nowhere.invalid:443'), 'dns_error', true],
    ['UNAVAILABLE (other)', grpcError(14, 'Connection dropped'), 'unavailable', true],
    ['INTERNAL', grpcError(13), 'pubsub_error', true],
    [
      'UNAVAILABLE as google-gax reports it with retries off',
      Object.assign(new Error('Exceeded maximum number of retries retrying error Error: 14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. before any response was received'), { code: 4 }),
      'connection_refused', true,
    ],
    ['a socket reset outside gRPC', Object.assign(new Error('reset'), { code: 'ECONNRESET' }), 'connection_reset', true],
  ])('when Pub/Sub fails with %s, then the code is %s (retryable: %s)', (_case, error, code, retryable) => {
    expect(classifyPubSubError(error)).toMatchObject({ code, retryable });
  });

  it('when classifying, then the message is the fixed text, not the gRPC details', () => {
    const failure = classifyPubSubError(grpcError(5, 'Resource not found (resource=projects/secret-project/topics/t)'));

    expect(failure.message).toBe(PUBSUB_ERROR_MESSAGES.topic_not_found);
    expect(failure.message).not.toContain('secret-project');
  });

  it('when the credentials are not JSON, then building the client config fails with invalid_config, not retryable', () => {
    expect(() => pubSubClientConfig({ projectId: 'p', topicId: 't', serviceAccountJson: '{nope' }))
      .toThrow(expect.objectContaining({ code: 'invalid_config', retryable: false }) as Error);
  });
});
