/** Shared by the sink integration tests: a realistic envelope and a logger that records. */
import { randomUUID } from 'node:crypto';
import type { OperatorEvent, OperatorTopic } from '../types.js';
import type { SinkLogger } from './sink-support.js';

export function makeOperatorEvent(topic: OperatorTopic = 'alert.destination.consecutive_failure'): OperatorEvent {
  return {
    id: randomUUID(),
    topic,
    time: new Date().toISOString(),
    deployment_id: 'dep_test',
    tenant_id: 'tenant_1',
    data: {
      tenant_id: 'tenant_1',
      destination: { id: 'des_1', type: 'webhook', topics: ['*'], config: { url: 'https://example.test/hook' } },
      consecutive_failures: { current: 5, max: 10, threshold: 50 },
      note: 'unicode ✓ — “quotes” and \\ backslash',
    },
  };
}

export interface RecordingLogger extends SinkLogger {
  readonly warnings: { readonly fields: Record<string, unknown>; readonly message: string }[];
}

export function recordingLogger(): RecordingLogger {
  const warnings: RecordingLogger['warnings'] = [];
  return {
    warnings,
    warn: ((fields: Record<string, unknown>, message: string) => {
      warnings.push({ fields, message });
    }) as SinkLogger['warn'],
    debug: () => undefined,
  };
}
