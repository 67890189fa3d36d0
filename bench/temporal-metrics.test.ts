import { describe, expect, it } from 'vitest';
import { TemporalMetrics, addSamples, eagerStarts, parseMetrics, samplesIncrease } from './temporal-metrics.js';

/** Lines as the dev server (CLI 1.5.1, server 1.29.1) prints them on /metrics. */
const scrape = (starts: number, requested: number, denied: number, systemStarts = 0) => parseMetrics([
  '# HELP workflow_eager_execution workflow_eager_execution counter',
  '# TYPE workflow_eager_execution counter',
  `workflow_eager_execution{namespace="herald",service_name="history",taskqueue="herald_floor_x",workflowType="floorWorkflow"} ${requested}`,
  ...(denied > 0 ? [`workflow_eager_execution_denied{namespace="herald",reason="first_workflow_task_backoff",service_name="history"} ${denied}`] : []),
  `service_requests{namespace="herald",operation="StartWorkflowExecution",service_name="frontend"} ${starts}`,
  `service_requests{namespace="herald",operation="StartWorkflowExecution",service_name="history"} ${starts}`,
  `service_requests{namespace="temporal_system",operation="StartWorkflowExecution",service_name="frontend"} ${systemStarts}`,
  `service_requests{namespace="herald",operation="PollWorkflowTaskQueue",service_name="frontend"} ${starts * 3}`,
  `service_latency_count{namespace="herald",operation="StartWorkflowExecution",service_name="frontend"} ${starts}`,
].join('\n'));

describe('eagerStarts', () => {
  it('when every start asked for eager and none was denied, then the ratio is 1', () => {
    expect(eagerStarts(scrape(10, 10, 0), scrape(110, 110, 0))).toEqual({ starts: 100, requested: 100, denied: 0, ratio: 1 });
  });

  it('when the core asked for some and the server denied some, then only the honoured ones count', () => {
    expect(eagerStarts(scrape(0, 0, 0), scrape(200, 150, 10))).toEqual({ starts: 200, requested: 150, denied: 10, ratio: 0.7 });
  });

  it('when only the history service and the system namespace started workflows, then those are not counted as starts', () => {
    const before = scrape(5, 5, 0, 0);
    const after = scrape(5, 5, 0, 7);
    expect(eagerStarts(before, after)).toEqual({ starts: 0, requested: 0, denied: 0, ratio: null });
  });

  it('when a denied series first appears in the second scrape, then all of it belongs to the window', () => {
    expect(eagerStarts(scrape(0, 0, 0), scrape(4, 4, 1)).denied).toBe(1);
  });

  it('when nothing asked for eager (the split topology), then the ratio is 0, not null', () => {
    expect(eagerStarts(scrape(0, 0, 0), scrape(50, 0, 0))).toEqual({ starts: 50, requested: 0, denied: 0, ratio: 0 });
  });
});

describe('step increases', () => {
  it('when two steps are added up, then the delta of the sum counts only what happened inside them', () => {
    // Steps 10→30 and 50→60 starts; the 20 starts between them (the other ramp's step) are in neither.
    const sum = addSamples([samplesIncrease(scrape(10, 10, 0), scrape(30, 30, 0)), samplesIncrease(scrape(50, 50, 0), scrape(60, 58, 2))]);
    const delta = TemporalMetrics.delta(new Map(), sum);
    expect(delta.eager_starts).toEqual({ starts: 30, requested: 28, denied: 2, ratio: 0.8667 });
  });

  it('when a series first appears in the second scrape, then all of it is the increase', () => {
    expect(samplesIncrease(scrape(1, 1, 0), scrape(4, 4, 3)).get('workflow_eager_execution_denied{namespace="herald",reason="first_workflow_task_backoff",service_name="history"}')).toBe(3);
  });
});
