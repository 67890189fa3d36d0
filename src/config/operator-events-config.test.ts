import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const base = { AES_ENCRYPTION_SECRET: 'x' };

describe('operator events and alert config', () => {
  it('when nothing is set, then operator events are off and alerts use Outpost defaults', () => {
    const config = loadConfig(base);
    expect(config.operatorEvents).toEqual({ topics: [], sink: null });
    expect(config.alerts).toEqual({ consecutiveFailureCount: 100, autoDisableDestination: false, exhaustedRetriesWindowSeconds: 3600 });
  });

  it('when an alert knob is the empty string, then that alert is off', () => {
    const config = loadConfig({ ...base, ALERT_CONSECUTIVE_FAILURE_COUNT: '', ALERT_EXHAUSTED_RETRIES_WINDOW_SECONDS: '' });
    expect(config.alerts.consecutiveFailureCount).toBeNull();
    expect(config.alerts.exhaustedRetriesWindowSeconds).toBeNull();
  });

  it('when topics are * with an HTTP sink, then every topic is subscribed', () => {
    const config = loadConfig({ ...base, OPERATION_EVENTS_TOPICS: '*', OPERATION_EVENTS_HTTP_URL: 'http://ops.example/hook', OPERATION_EVENTS_HTTP_SIGNING_SECRET: 's' });
    expect(config.operatorEvents.topics).toHaveLength(6);
    expect(config.operatorEvents.sink).toEqual({ kind: 'http', url: 'http://ops.example/hook', signingSecret: 's', timeoutMs: 10_000 });
  });

  it('when the Outpost-code spelling OPERATOR_EVENTS_* is used, then it is accepted as an alias', () => {
    const config = loadConfig({ ...base, OPERATOR_EVENTS_TOPICS: 'alert.destination.disabled', OPERATOR_EVENTS_RABBITMQ_SERVER_URL: 'amqp://x', OPERATOR_EVENTS_RABBITMQ_EXCHANGE: 'ops' });
    expect(config.operatorEvents).toEqual({
      topics: ['alert.destination.disabled'],
      sink: { kind: 'rabbitmq', serverUrl: 'amqp://x', exchange: 'ops' },
    });
  });

  it.each([
    [{ OPERATION_EVENTS_TOPICS: '*' }, /topics are set but no sink/],
    [{ OPERATION_EVENTS_TOPICS: 'alert.nope', OPERATION_EVENTS_HTTP_URL: 'http://x' }, /unknown topic\(s\) alert\.nope/],
    [{ OPERATION_EVENTS_TOPICS: '*', OPERATION_EVENTS_HTTP_URL: 'http://x', OPERATION_EVENTS_AWS_SQS_QUEUE_URL: 'http://q' }, /exactly one sink.*http and aws_sqs/],
    [{ OPERATION_EVENTS_TOPICS: '*', OPERATION_EVENTS_GCP_PUBSUB_PROJECT_ID: 'p' }, /OPERATION_EVENTS_GCP_PUBSUB_TOPIC_ID: is required/],
    [{ OPERATION_EVENTS_TOPICS: '*', OPERATION_EVENTS_HTTP_URL: 'ftp://x' }, /must be an http\(s\) URL/],
    [{ ALERT_CONSECUTIVE_FAILURE_COUNT: 'many' }, /ALERT_CONSECUTIVE_FAILURE_COUNT: must be a whole number/],
  ])('when %j, then start-up fails naming the variable', (env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });
});
