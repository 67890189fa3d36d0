import { describe, expect, it } from 'vitest';
import { makeProvider } from '../testing/fixtures.js';
import { problemsOf } from '../testing/prepare.js';
import { createKafkaProvider, kafkaConnection } from './kafka-provider.js';
import { partitionKey } from './partition-key.js';

const provider = makeProvider(createKafkaProvider);
const valid = { brokers: 'b1.example.com:9092, b2.example.com:9093', topic: 'orders', sasl_mechanism: 'scram-sha-512' };
const credentials = { username: 'u', password: 'p' };

describe('kafka destination validation', () => {
  it.each([
    { config: { ...valid }, creds: credentials, problems: [] },
    { config: { ...valid, tls: 'true', partition_key_template: 'data.customer_id' }, creds: credentials, problems: [] },
    { config: { topic: 'orders', sasl_mechanism: 'plain' }, creds: credentials, problems: ['config.brokers is required'] },
    { config: { ...valid, brokers: 'no-port.example.com' }, creds: credentials, problems: ['config.brokers is pattern'] },
    { config: { ...valid, topic: 'bad topic' }, creds: credentials, problems: ['config.topic is pattern'] },
    { config: { ...valid, sasl_mechanism: 'gssapi' }, creds: credentials, problems: ['config.sasl_mechanism is invalid'] },
    { config: { ...valid, tls: 'yes' }, creds: credentials, problems: ['config.tls is invalid'] },
    { config: { ...valid, partition_key_template: 'data.[' }, creds: credentials, problems: ['config.partition_key_template is not a valid JMESPath expression'] },
    { config: { ...valid }, creds: { username: 'u' }, problems: ['credentials.password is required'] },
  ])('when config is $config and credentials $creds, then the problems are $problems', ({ config, creds, problems }) => {
    expect(problemsOf(provider, config, creds)).toEqual(problems);
  });

  it('when presented, then the password is masked and the target names brokers and topic', () => {
    const presented = provider.present({ config: valid, credentials: { username: "u", password: "secret-pass" } } as never, new Date());

    expect(JSON.stringify(presented.credentials)).not.toContain('secret-pass');
    expect(presented.target).toBe(`${valid.brokers}/orders`);
  });

  it('when the config is turned into a connection, then brokers are split, the mechanism named and an omitted tls is off', () => {
    expect(kafkaConnection(valid, credentials)).toEqual({
      brokers: ['b1.example.com:9092', 'b2.example.com:9093'], tls: false,
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' },
    });
  });
});

describe('partitionKey', () => {
  const event = { id: 'evt_1', data: { customer: { id: 'cus_1' }, n: 7, tags: ['a'] } };
  it.each([
    { template: undefined, key: 'evt_1' },
    { template: 'data.customer.id', key: 'cus_1' },
    { template: 'metadata.region', key: 'eu' },
    { template: 'data.n', key: '7' },
    { template: 'data.tags', key: '["a"]' },
    { template: 'data.missing', key: 'evt_1' },
    { template: "join('-', [data.customer.id, metadata.region])", key: 'cus_1-eu' },
  ])('when the template is $template, then the key is $key', ({ template, key }) => {
    expect(partitionKey(template, event, { region: 'eu' })).toBe(key);
  });

  it('when the template fails at evaluation, then it throws', () => {
    expect(() => partitionKey('abs(data.customer)', event, {})).toThrow();
  });
});
