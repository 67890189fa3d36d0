import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.js';

describe('parseOptions', () => {
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
