import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../src/temporal/worker.js';

const dir = new URL('./testdata/histories/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

/**
 * Determinism guard: histories recorded from real runs (RECORD_HISTORIES=1 with the workflow
 * integration tests) must replay against today's workflow code. A change to in-flight logic that
 * breaks one needs `patched()` versioning, not a re-recording.
 */
describe('delivery workflow replay', () => {
  it('when histories are recorded, then there are some to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('when %s is replayed with the current code, then it is deterministic', async (file) => {
    const history = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, `replay-${file}`);
  }, 30_000);
});
