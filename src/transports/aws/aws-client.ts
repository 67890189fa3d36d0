/**
 * What every AWS SDK v3 client Herald builds shares: static credentials (or the SDK's default
 * chain when none are given), the region, an optional endpoint (LocalStack, moto, a VPC endpoint),
 * one attempt per send, and HTTP/1.1 — the Kinesis client would default to HTTP/2, which
 * plain-HTTP endpoints such as moto do not speak, and PutRecord needs nothing HTTP/2 offers.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** An access key pair as destinations store it (`key`, `secret`, optional `session` token). */
export interface AwsCredentials {
  readonly key: string;
  readonly secret: string;
  readonly session?: string | undefined;
}

/** Where an AWS client talks to, and as whom. */
export interface AwsClientTarget {
  readonly region: string;
  /** Replaces the service's AWS endpoint when set. */
  readonly endpoint?: string | undefined;
  /** When omitted, the SDK's default chain (environment, profile, instance role) applies. */
  readonly credentials?: AwsCredentials | undefined;
}

/** How long a connection may take to open before the send fails as `timeout`. */
const CONNECTION_TIMEOUT_MS = 5_000;

/** The configuration object every AWS SDK v3 client constructor accepts. */
export function awsClientConfig(target: AwsClientTarget) {
  const { credentials } = target;
  return {
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...(credentials
      ? {
          credentials: {
            accessKeyId: credentials.key,
            secretAccessKey: credentials.secret,
            ...(credentials.session ? { sessionToken: credentials.session } : {}),
          },
        }
      : {}),
    // The delivery workflow (or the operator-events workflow) owns retries and their timing.
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ connectionTimeout: CONNECTION_TIMEOUT_MS }),
  };
}

/** The credentials a destination stores, or undefined when it stores no key (the SDK's default chain). */
export function destinationCredentials(credentials: Readonly<Record<string, string>>): AwsCredentials | undefined {
  const { key, secret, session } = credentials;
  if (!key || !secret) return undefined;
  return { key, secret, ...(session ? { session } : {}) };
}

/** How long an unused AWS client stays cached, and how many are kept. */
export const AWS_CLIENT_CACHE = { idleMs: 10 * 60_000, maxEntries: 500 } as const;
