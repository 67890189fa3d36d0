import { OPERATOR_TOPICS, type OperatorTopic, type SinkConfig } from '../operator-events/types.js';

type Values = Record<string, unknown>;
const str = (v: Values, k: string): string | undefined => {
  const value = v[k];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const sinkPrefixes = {
  http: 'OPERATION_EVENTS_HTTP_',
  aws_sqs: 'OPERATION_EVENTS_AWS_SQS_',
  gcp_pubsub: 'OPERATION_EVENTS_GCP_PUBSUB_',
  rabbitmq: 'OPERATION_EVENTS_RABBITMQ_',
} as const;

function buildSink(kind: SinkConfig['kind'], v: Values, problems: string[]): SinkConfig | null {
  const need = (key: string) => {
    const value = str(v, key);
    if (!value) problems.push(`${key}: is required for the ${kind} operator-event sink`);
    return value ?? '';
  };
  const timeoutMs = Number(v.OPERATION_EVENTS_TIMEOUT_SECONDS) * 1000;
  switch (kind) {
    case 'http': {
      const url = need('OPERATION_EVENTS_HTTP_URL');
      if (url && !/^https?:\/\//.test(url)) problems.push('OPERATION_EVENTS_HTTP_URL: must be an http(s) URL');
      return { kind, url, signingSecret: str(v, 'OPERATION_EVENTS_HTTP_SIGNING_SECRET'), timeoutMs };
    }
    case 'aws_sqs':
      return {
        kind, queueUrl: need('OPERATION_EVENTS_AWS_SQS_QUEUE_URL'),
        region: str(v, 'OPERATION_EVENTS_AWS_SQS_REGION') ?? 'us-east-1',
        accessKeyId: str(v, 'OPERATION_EVENTS_AWS_SQS_ACCESS_KEY_ID'),
        secretAccessKey: str(v, 'OPERATION_EVENTS_AWS_SQS_SECRET_ACCESS_KEY'),
        endpoint: str(v, 'OPERATION_EVENTS_AWS_SQS_ENDPOINT'),
      };
    case 'gcp_pubsub':
      return {
        kind, projectId: need('OPERATION_EVENTS_GCP_PUBSUB_PROJECT_ID'), topicId: need('OPERATION_EVENTS_GCP_PUBSUB_TOPIC_ID'),
        credentials: str(v, 'OPERATION_EVENTS_GCP_PUBSUB_CREDENTIALS'),
      };
    case 'rabbitmq':
      return { kind, serverUrl: need('OPERATION_EVENTS_RABBITMQ_SERVER_URL'), exchange: need('OPERATION_EVENTS_RABBITMQ_EXCHANGE') };
  }
}

/**
 * Operator-event settings: the subscribed topics and exactly one sink. Topics without a sink, two
 * sinks, or an unknown topic are start-up errors, stricter than Outpost's warning: a misspelt topic
 * or a second sink would otherwise silently drop operator events.
 */
export function operatorEventsConfig(v: Values, problems: string[]) {
  const requested = (v.OPERATION_EVENTS_TOPICS as string[] | undefined) ?? [];
  const unknown = requested.filter((t) => t !== '*' && !(OPERATOR_TOPICS as readonly string[]).includes(t));
  if (unknown.length > 0) {
    problems.push(`OPERATION_EVENTS_TOPICS: unknown topic(s) ${unknown.join(', ')}; known: *, ${OPERATOR_TOPICS.join(', ')}`);
  }
  const topics: OperatorTopic[] = requested.includes('*')
    ? [...OPERATOR_TOPICS]
    : OPERATOR_TOPICS.filter((t) => requested.includes(t));
  const configured = (Object.entries(sinkPrefixes) as [SinkConfig['kind'], string][]).filter(([, prefix]) =>
    Object.keys(v).some((k) => k.startsWith(prefix) && str(v, k)),
  );
  if (configured.length > 1) {
    problems.push(`OPERATION_EVENTS_*: exactly one sink may be configured, found ${configured.map(([k]) => k).join(' and ')}`);
  }
  if (requested.length > 0 && configured.length === 0) {
    problems.push('OPERATION_EVENTS_TOPICS: topics are set but no sink is configured (OPERATION_EVENTS_HTTP_URL, _AWS_SQS_QUEUE_URL, _GCP_PUBSUB_PROJECT_ID or _RABBITMQ_SERVER_URL)');
  }
  const sink = configured.length === 1 ? buildSink(configured[0]![0], v, problems) : null;
  return { topics: sink ? topics : [], sink };
}
