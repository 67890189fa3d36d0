import { describe, expect, it } from 'vitest';
import { makeDestination, makeProvider } from '../testing/fixtures.js';
import { problemsOf } from '../testing/prepare.js';
import { createRabbitMqProvider } from './rabbitmq-provider.js';

const rabbit = makeProvider(createRabbitMqProvider);
const VALID_CONFIG = { server_url: 'rabbit.example.com:5672', exchange: 'events' };
const VALID_CREDENTIALS = { username: 'app', password: 's3cret' };

describe('rabbitmq destination validation', () => {
  it.each([
    ['no server_url', { exchange: 'events' }, VALID_CREDENTIALS, ['config.server_url is required']],
    ['a server_url with spaces', { ...VALID_CONFIG, server_url: 'rabbit example:5672' }, VALID_CREDENTIALS, ['config.server_url is pattern']],
    ['a server_url without a port number', { ...VALID_CONFIG, server_url: 'rabbit:port' }, VALID_CREDENTIALS, ['config.server_url is invalid']],
    ['a tls that is not a checkbox value', { ...VALID_CONFIG, tls: 'yes' }, VALID_CREDENTIALS, ['config.tls is invalid']],
    ['no credentials', VALID_CONFIG, {}, ['credentials.username is required', 'credentials.password is required']],
    ['no exchange (the default exchange)', { server_url: 'rabbit.example.com:5672' }, VALID_CREDENTIALS, []],
    ['everything valid', VALID_CONFIG, VALID_CREDENTIALS, []],
  ])('when the destination has %s, then exactly the expected problems are reported', (_case, config, credentials, expected) => {
    expect(problemsOf(rabbit, config, credentials)).toEqual(expected);
  });

  it.each([
    [undefined, 'false'],
    ['on', 'true'],
    ['true', 'true'],
    ['false', 'false'],
  ])('when tls is %s, then it is stored as %s', (tls, stored) => {
    const config = tls === undefined ? VALID_CONFIG : { ...VALID_CONFIG, tls };

    expect(rabbit.prepare({ config, credentials: VALID_CREDENTIALS, role: 'tenant', now: new Date() }).config['tls']).toBe(stored);
  });

  it('when presented, then the password is masked, the username shown and the target names exchange and topics', () => {
    const destination = makeDestination({ type: 'rabbitmq', topics: ['user.created', 'user.deleted'], config: VALID_CONFIG, credentials: VALID_CREDENTIALS });

    const presented = rabbit.present(destination, new Date());

    expect(presented.credentials['username']).toBe('app');
    expect(presented.credentials['password']).not.toContain('s3cret');
    expect(presented.target).toBe('events -> user.created, user.deleted');
  });
});
