import { describe, expect, it } from 'vitest';
import { makeDestination, makeProvider } from '../testing/fixtures.js';
import { problemsOf } from '../testing/prepare.js';
import { createSqsProvider, sqsTarget } from './sqs-provider.js';

const provider = makeProvider(createSqsProvider);
const credentials = { key: 'AKIAEXAMPLE', secret: 'secret' };

describe('aws_sqs validation', () => {
  it.each([
    [{ queue_url: 'https://sqs.us-east-1.amazonaws.com/123456789012/q' }, credentials, []],
    [{ queue_url: 'http://127.0.0.1:4566/000000000000/q', endpoint: 'http://127.0.0.1:4566' }, { ...credentials, session: 'tok' }, []],
    [{}, credentials, ['config.queue_url is required']],
    [{ queue_url: 'sqs.us-east-1.amazonaws.com/q' }, credentials, ['config.queue_url is pattern']],
    [{ queue_url: 'https://sqs.us-east-1.amazonaws.com' }, credentials, ['config.queue_url is pattern']],
    [{ queue_url: 'https://sqs.us-east-1.amazonaws.com/1/q', endpoint: 'localhost:4566' }, credentials, ['config.endpoint is pattern']],
    [{ queue_url: 'https://sqs.us-east-1.amazonaws.com/1/q' }, {}, ['credentials.key is required', 'credentials.secret is required']],
  ])('when config is %j and credentials %j, then the problems are %j', (config, creds, expected) => {
    expect(problemsOf(provider, config, creds)).toEqual(expected);
  });
});

describe('aws_sqs target', () => {
  it.each([
    ['https://sqs.eu-west-2.amazonaws.com/123456789012/q', undefined, 'eu-west-2', 'https://sqs.eu-west-2.amazonaws.com'],
    ['http://127.0.0.1:5000/123456789012/q', undefined, 'us-east-1', 'http://127.0.0.1:5000'],
    ['https://sqs.eu-west-2.amazonaws.com/123456789012/q', 'https://vpce.example', 'eu-west-2', 'https://vpce.example'],
  ])('when the queue URL is %s and the endpoint %s, then the region is %s and the endpoint %s', (queueUrl, endpoint, region, expected) => {
    const destination = makeDestination({ type: 'aws_sqs', config: { queue_url: queueUrl, ...(endpoint ? { endpoint } : {}) }, credentials });
    expect(sqsTarget(destination)).toMatchObject({ region, endpoint: expected, credentials: { key: 'AKIAEXAMPLE', secret: 'secret' } });
  });
});
