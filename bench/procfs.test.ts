import { describe, expect, it } from 'vitest';
import { threadRoles } from './procfs.js';

describe('threadRoles', () => {
  const before = new Map([[100, { cpuSeconds: 1 }], [101, { cpuSeconds: 0.5 }], [107, { cpuSeconds: 0 }], [108, { cpuSeconds: 2 }]]);

  it('when every Node thread is named node, then the main thread, the busiest other and the rest are told apart', () => {
    const after = new Map([
      [100, { comm: 'node', cpuSeconds: 5 }], // main: +4
      [101, { comm: 'node', cpuSeconds: 1 }], // a V8 helper: +0.5
      [107, { comm: 'node', cpuSeconds: 3 }], // the workflow thread: +3
      [108, { comm: 'tokio-runtime-w', cpuSeconds: 3 }], // +1
      [109, { comm: 'node', cpuSeconds: 0.25 }], // started inside the window: +0.25
    ]);
    expect(threadRoles(100, before, after)).toEqual({ main: 4, 'node worker': 3, 'node other': 0.75, 'tokio-runtime-w': 1 });
  });

  it('when the process has only its main thread, then there is no worker role', () => {
    expect(threadRoles(100, before, new Map([[100, { comm: 'node', cpuSeconds: 2 }]]))).toEqual({ main: 1 });
  });
});
