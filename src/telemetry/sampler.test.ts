import { describe, expect, it } from 'vitest';
import { samplerFor } from './sampler.js';

describe('OTEL_TRACES_SAMPLER', () => {
  it.each([
    ['parentbased_always_on', 1, /^ParentBased\{root=AlwaysOnSampler/],
    ['parentbased_traceidratio', 0.25, /^ParentBased\{root=TraceIdRatioBased\{0.25\}/],
    ['parentbased_always_off', 1, /^ParentBased\{root=AlwaysOffSampler/],
    ['always_on', 1, /^AlwaysOnSampler$/],
    ['traceidratio', 0.5, /^TraceIdRatioBased\{0.5\}$/],
    ['always_off', 1, /^AlwaysOffSampler$/],
  ] as const)('when it is %s (ratio %d), then the sampler is %s', (name, ratio, expected) => {
    expect(samplerFor({ name, ratio }).toString()).toMatch(expected);
  });
});
