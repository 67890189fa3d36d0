import { describe, expect, it } from 'vitest';
import { makeDestination, makeProvider } from '../testing/fixtures.js';
import { problemsOf } from '../testing/prepare.js';
import { createGcpPubSubProvider } from './gcp-pubsub-provider.js';

const pubsub = makeProvider(createGcpPubSubProvider);
const KEY = JSON.stringify({ type: 'service_account', project_id: 'p', private_key: '-----BEGIN PRIVATE KEY-----\nxyz\n-----END PRIVATE KEY-----\n', client_email: 'a@p.iam.gserviceaccount.com' });
const CONFIG = { project_id: 'my-project', topic: 'events' };

describe('gcp_pubsub destination validation', () => {
  it.each([
    ['no project_id and no topic', {}, { service_account_json: KEY }, ['config.project_id is required', 'config.topic is required']],
    ['no service account JSON and no emulator endpoint', CONFIG, {}, ['credentials.service_account_json is required']],
    ['an emulator endpoint and no service account JSON', { ...CONFIG, endpoint: 'localhost:8085' }, {}, []],
    ['an endpoint that is not host:port', { ...CONFIG, endpoint: 'localhost' }, {}, ['config.endpoint is pattern']],
    ['service account JSON that does not parse', CONFIG, { service_account_json: '{nope' }, ['credentials.service_account_json is invalid']],
    ['JSON without a key type', CONFIG, { service_account_json: '{"project_id":"p"}' }, ['credentials.service_account_json is invalid']],
    ['everything valid', CONFIG, { service_account_json: KEY }, []],
  ])('when the destination has %s, then exactly the expected problems are reported', (_case, config, credentials, expected) => {
    expect(problemsOf(pubsub, config, credentials, 'tenant')).toEqual(expected);
  });

  it('when presented, then the service account JSON is masked and the target is project/topic with a console link', () => {
    const destination = makeDestination({ type: 'gcp_pubsub', config: CONFIG, credentials: { service_account_json: KEY } });

    const presented = pubsub.present(destination, new Date());

    expect(presented.credentials['service_account_json']).not.toContain('PRIVATE KEY');
    expect(presented.target).toBe('my-project/events');
    expect(presented.targetUrl).toBe('https://console.cloud.google.com/cloudpubsub/topic/detail/events?project=my-project');
  });
});
