/**
 * An in-memory stand-in for the SDK's sender, for tests (no Service Bus server can run here):
 * records every message per (connection string, entity), and how senders were opened and closed.
 * The entity `stall` never settles a send until its signal aborts; `fail` makes sends reject.
 */
import type { ServiceBusMessage } from '@azure/service-bus';
import type { ServiceBusMessageSender, ServiceBusSenderFactory } from './servicebus-transport.js';

export interface SentMessage {
  readonly connectionString: string;
  readonly name: string;
  readonly message: ServiceBusMessage;
}

export interface FakeServiceBus {
  readonly createSender: ServiceBusSenderFactory;
  readonly sent: readonly SentMessage[];
  /** `connectionString|name` for every sender opened, in order. */
  readonly opened: readonly string[];
  readonly closed: readonly string[];
  /** Later sends to `name` reject with this error (undefined restores). */
  fail(name: string, error: Error | undefined): void;
  /** All messages sent so far, once at least `count` were. */
  waitForMessages(count: number, timeoutMs?: number): Promise<SentMessage[]>;
}

export function createFakeServiceBus(): FakeServiceBus {
  const sent: SentMessage[] = [];
  const opened: string[] = [];
  const closed: string[] = [];
  const failures = new Map<string, Error>();

  const createSender: ServiceBusSenderFactory = (connectionString, name): ServiceBusMessageSender => {
    const id = `${connectionString}|${name}`;
    opened.push(id);
    return {
      send: (message, signal) =>
        new Promise<void>((resolve, reject) => {
          const failure = failures.get(name);
          if (failure) return reject(failure);
          if (name === 'stall') {
            signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
            return;
          }
          // Settles on a later turn, as a broker round trip would.
          setTimeout(() => {
            sent.push({ connectionString, name, message });
            resolve();
          }, 1);
        }),
      close: async () => void closed.push(id),
    };
  };

  return {
    createSender,
    sent,
    opened,
    closed,
    fail: (name, error) => void (error === undefined ? failures.delete(name) : failures.set(name, error)),
    async waitForMessages(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (sent.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} Service Bus messages, got ${sent.length}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return [...sent];
    },
  };
}
