import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../src/temporal/worker.js';
import { workflowTracingModule } from '../src/telemetry/temporal-tracing.js';
import * as registered from './index.js';

const dir = new URL('./testdata/histories/', import.meta.url);
const histories = readdirSync(dir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => {
    const history = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    const type: string = history.events[0].workflowExecutionStartedEventAttributes.workflowType.name;
    // Recorded under the workflow id its name gives (`<name>.json`, `<name>-run-2.json`, …): ids
    // derived from it, such as a child's, are part of the history.
    const workflowId = file.replace(/(-run-\d+)?\.json$/, '');
    return { file, type, workflowId, history };
  });

/**
 * Determinism guard: histories recorded from real runs (`scripts/record-histories.ts`, and
 * RECORD_HISTORIES=1 with the delivery integration tests) must replay against today's workflow
 * code. A change to in-flight logic that breaks one needs `patched()` versioning, not a
 * re-recording.
 */
describe('workflow replay', () => {
  it.each(Object.keys(registered))('when %s is registered, then recorded histories of it are checked', (type) => {
    expect(histories.filter((h) => h.type === type).length).toBeGreaterThanOrEqual(2);
  });

  it('when a history is recorded, then its workflow is one the worker registers', () => {
    expect(histories.filter((h) => !(h.type in registered)).map((h) => h.file)).toEqual([]);
  });

  it.each(histories)('when $file ($type) is replayed with the current code, then it is deterministic', async ({ workflowId, history }) => {
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId);
  }, 30_000);

  // Turning tracing on must not change what a workflow does: spans draw their ids from a random
  // stream of their own, so `uuid4()` in the workflow returns what it returned without tracing.
  it.each(histories)('when $file ($type) is replayed with tracing on, then it is deterministic too', async ({ workflowId, history }) => {
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle([workflowTracingModule]) }, history, workflowId);
  }, 60_000);
});
