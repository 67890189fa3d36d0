import { describe, expect, it } from 'vitest';
import { classifyKinesisError } from '../aws-kinesis/kinesis-transport.js';
import { classifyS3Error } from '../aws-s3/s3-transport.js';
import { classifySqsError } from '../aws-sqs/sqs-transport.js';
import { classifyAwsError } from './aws-errors.js';

const withCode = (code: string) => Object.assign(new Error('raw text naming 10.1.2.3'), { code });
const awsError = (name: string, fault: 'client' | 'server', status: number) =>
  Object.assign(new Error(`raw ${name} text`), { name, $fault: fault, $metadata: { httpStatusCode: status } });

describe('AWS error classification', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED'), 'connection_refused', true],
    ['an unknown host', withCode('ENOTFOUND'), 'dns_error', true],
    ['a connect timeout', withCode('ETIMEDOUT'), 'timeout', true],
    ['a bad token', awsError('InvalidClientTokenId', 'client', 403), 'auth_failed', false],
    ['a bad signature', awsError('SignatureDoesNotMatch', 'client', 403), 'auth_failed', false],
    ['denied access', awsError('AccessDeniedException', 'client', 400), 'auth_failed', false],
    ['an unknown S3 key id', awsError('InvalidAccessKeyId', 'client', 403), 'auth_failed', false],
    ['any 401', awsError('Whatever', 'client', 401), 'auth_failed', false],
    ['throttling', awsError('ThrottlingException', 'client', 400), 'throttled', true],
    ['SQS throttling', awsError('RequestThrottled', 'client', 400), 'throttled', true],
    ['Kinesis throughput exceeded', awsError('ProvisionedThroughputExceededException', 'client', 400), 'throttled', true],
    ['S3 slow down', awsError('SlowDown', 'server', 503), 'throttled', true],
    ['any 429', awsError('Whatever', 'client', 429), 'throttled', true],
    ['an invalid parameter', awsError('InvalidParameterValue', 'client', 400), 'invalid_request', false],
    ['a header value Node refuses', withCode('ERR_INVALID_CHAR'), 'invalid_request', false],
    ['a server fault', awsError('InternalError', 'server', 500), 'server_error', true],
    ['a 503 without fault', Object.assign(new Error('x'), { $metadata: { httpStatusCode: 503 } }), 'server_error', true],
    ['anything else', new Error('???'), 'aws_error', true],
    ['a thrown string', 'boom', 'aws_error', true],
  ])('when AWS fails with %s, then the code is %s (retryable: %s)', (_case, error, code, retryable) => {
    expect(classifyAwsError(error)).toMatchObject({ code, retryable });
  });

  it('when classifying, then the message is fixed text and the raw error is the cause', () => {
    const raw = awsError('InvalidClientTokenId', 'client', 403);
    const failure = classifyAwsError(raw);
    expect(failure.message).not.toContain('raw');
    expect(failure.cause).toBe(raw);
  });

  it('when a service rule names the error, then it wins over the generic 4xx class', () => {
    const rule = { names: new Set(['ResourceNotFoundException']), code: 'stream_not_found', message: 'no stream' };
    expect(classifyAwsError(awsError('ResourceNotFoundException', 'client', 400), rule)).toMatchObject({ code: 'stream_not_found', retryable: false });
  });

  it.each([
    ['QueueDoesNotExist', awsError('QueueDoesNotExist', 'client', 400)],
    ['the query-protocol name', Object.assign(new Error('x'), { Code: 'AWS.SimpleQueueService.NonExistentQueue', $fault: 'client', $metadata: { httpStatusCode: 400 } })],
  ])('when SQS answers %s, then the code is queue_not_found, not retryable', (_case, error) => {
    expect(classifySqsError(error)).toMatchObject({ code: 'queue_not_found', retryable: false });
  });

  it.each([
    ['Kinesis, a missing stream', classifyKinesisError, awsError('ResourceNotFoundException', 'client', 400), 'stream_not_found', false],
    ['Kinesis, throughput exceeded', classifyKinesisError, awsError('ProvisionedThroughputExceededException', 'client', 400), 'throttled', true],
    ['S3, a missing bucket', classifyS3Error, awsError('NoSuchBucket', 'client', 404), 'bucket_not_found', false],
    ['S3, a bucket in another region', classifyS3Error, awsError('PermanentRedirect', 'client', 301), 'wrong_region', false],
    ['S3, a wrong signing region', classifyS3Error, awsError('AuthorizationHeaderMalformed', 'client', 400), 'wrong_region', false],
    ['S3, a refused connection', classifyS3Error, withCode('ECONNREFUSED'), 'connection_refused', true],
  ])('when %s, then the code is %s (retryable: %s)', (_case, classify, error, code, retryable) => {
    expect(classify(error)).toMatchObject({ code, retryable });
  });
});
