import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.js';

describe('parseOptions', () => {
  it('when no scenarios are given, then all run with the floor right after saturation', () => {
    expect(parseOptions([])!.scenarios).toEqual(['saturation', 'floor', 'latency', 'fanout', 'retries', 'backlog']);
  });

  it('when an external API is benchmarked without its Temporal address, then the floor is not in the default', () => {
    expect(parseOptions(['--api', 'http://herald.example'])!.scenarios).not.toContain('floor');
    expect(parseOptions(['--api', 'http://herald.example', '--temporal-address', 'temporal:7233'])!.scenarios).toContain('floor');
  });

  it('when letters come in any order, then they run in the fixed order', () => {
    expect(parseOptions(['--scenarios', 'f,a'])!.scenarios).toEqual(['saturation', 'floor']);
  });

  it.each([
    ['when no topology is given, then herald start runs', [], false],
    ['when --split is given, then api and worker run apart', ['--split'], true],
    ['when the deprecated --single-process is given, then it is the default', ['--single-process'], false],
  ])('%s', (_name, argv, split) => {
    expect(parseOptions(argv)!.split).toBe(split);
  });

  it('when --split and --single-process are both given, then it is refused', () => {
    expect(() => parseOptions(['--split', '--single-process'])).toThrow(/contradict/);
  });
});
