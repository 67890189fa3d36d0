/**
 * One Pub/Sub client and topic handle for one project/topic/credentials. Publishing is unbatched
 * (a publish resolves once the server stored that very message) and the library's own retries
 * are off: the caller owns retries and the deadline.
 */
import { PubSub, type ClientConfig } from '@google-cloud/pubsub';
import { untilAborted } from '../deadline.js';
import { classifyPubSubError, pubSubFailure } from './pubsub-errors.js';

export interface PubSubTarget {
  readonly projectId: string;
  readonly topicId: string;
  /** `host:port` of an emulator (plaintext, no authentication); absent for Google Cloud. */
  readonly endpoint?: string | undefined;
  /** A service account key file's JSON; absent, Application Default Credentials apply. */
  readonly serviceAccountJson?: string | undefined;
}

export interface PubSubPublisher {
  /**
   * @returns the server-assigned message id.
   * @throws TransportError (classified), or the signal's reason once it aborted.
   */
  publish(data: Buffer, attributes: Record<string, string>, signal: AbortSignal): Promise<string>;
  close(): Promise<void>;
}

/**
 * The client configuration for a target.
 * @throws TransportError `invalid_config` (not retryable) when the credentials are not JSON.
 */
export function pubSubClientConfig(target: PubSubTarget): ClientConfig {
  const config: ClientConfig = { projectId: target.projectId };
  if (target.endpoint) {
    // A fixed universe domain keeps google-auth from probing the GCE metadata server (and warning) for an emulator.
    Object.assign(config, { apiEndpoint: target.endpoint.replace(/^https?:\/\//, ''), emulatorMode: true, universeDomain: 'googleapis.com' });
  }
  if (target.serviceAccountJson) {
    try {
      config.credentials = JSON.parse(target.serviceAccountJson) as ClientConfig['credentials'];
    } catch (error) {
      throw pubSubFailure('invalid_config', false, error);
    }
  }
  return config;
}

export function createPubSubPublisher(target: PubSubTarget, options: { readonly timeoutMs: number }): PubSubPublisher {
  const client = new PubSub(pubSubClientConfig(target));
  const topic = client.topic(target.topicId, {
    batching: { maxMessages: 1, maxMilliseconds: 0 },
    gaxOpts: { timeout: options.timeoutMs, maxRetries: 0 },
  });
  let closing: Promise<void> | undefined;

  return {
    async publish(data, attributes, signal) {
      if (closing) throw new Error('the Pub/Sub publisher is closed');
      try {
        return await untilAborted(topic.publishMessage({ data, attributes }), signal);
      } catch (error) {
        if (signal.aborted) throw error;
        throw classifyPubSubError(error);
      }
    },
    close: () =>
      (closing ??= (async () => {
        await topic.flush().catch(() => undefined);
        await client.close().catch(() => undefined);
      })()),
  };
}
