/** Operator events: Outpost's envelope and the sink interface every transport implements. */

export const OPERATOR_TOPICS = [
  'alert.destination.consecutive_failure',
  'alert.destination.disabled',
  'alert.attempt.exhausted_retries',
  'attempt.success',
  'attempt.failed',
  'tenant.subscription.updated',
] as const;

export type OperatorTopic = (typeof OPERATOR_TOPICS)[number];

/** The envelope sent to the sink, serialised as JSON. */
export interface OperatorEvent {
  readonly id: string;
  readonly topic: OperatorTopic;
  /** RFC 3339. */
  readonly time: string;
  /** Omitted when DEPLOYMENT_ID is unset. */
  readonly deployment_id?: string;
  readonly tenant_id: string;
  readonly data: Record<string, unknown>;
}

export type SinkConfig =
  | { readonly kind: 'http'; readonly url: string; readonly signingSecret?: string | undefined; readonly timeoutMs: number }
  | {
      readonly kind: 'aws_sqs';
      readonly queueUrl: string;
      readonly region: string;
      readonly accessKeyId?: string | undefined;
      readonly secretAccessKey?: string | undefined;
      /** e.g. a local SQS-compatible server. */
      readonly endpoint?: string | undefined;
    }
  | {
      readonly kind: 'gcp_pubsub';
      readonly projectId: string;
      readonly topicId: string;
      /** Service-account JSON; omit with an emulator. */
      readonly credentials?: string | undefined;
      /** host:port of a Pub/Sub emulator (PUBSUB_EMULATOR_HOST is honoured too). */
      readonly emulatorHost?: string | undefined;
    }
  | { readonly kind: 'rabbitmq'; readonly serverUrl: string; readonly exchange: string };

/** Thrown by a sink when the event was not accepted; `code` is a stable class for logs and retry decisions. */
export class SinkError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** False when retrying cannot help (bad configuration, rejected credentials, …). */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SinkError';
  }
}

export interface OperatorEventSink {
  readonly kind: SinkConfig['kind'];
  /** Resolves once the sink has durably accepted the event; throws SinkError otherwise. */
  send(event: OperatorEvent, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
