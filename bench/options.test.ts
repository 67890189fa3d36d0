import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.js';

describe('parseOptions', () => {
  it('when no scenarios are given, then all but rabbitmq run, with the floor right after saturation', () => {
    expect(parseOptions([])!.scenarios).toEqual(['saturation', 'floor', 'latency', 'fanout', 'retries', 'backlog']);
  });

  it('when an external API is benchmarked without its Temporal address, then the floor is not in the default', () => {
    expect(parseOptions(['--api', 'http://herald.example'])!.scenarios).not.toContain('floor');
    expect(parseOptions(['--api', 'http://herald.example', '--temporal-address', 'temporal:7233'])!.scenarios).toContain('floor');
  });

  it('when letters come in any order, then they run in the fixed order', () => {
    expect(parseOptions(['--scenarios', 'f,a'])!.scenarios).toEqual(['saturation', 'floor']);
  });

  it('when r is asked for, then rabbitmq runs after saturation and the floor, at their steps and step duration', () => {
    const options = parseOptions(['--scenarios', 'r,a,f', '--concurrency-steps', '4,16', '--step-duration', '5'])!;
    expect(options).toMatchObject({ scenarios: ['saturation', 'floor', 'rabbitmq'], concurrencySteps: [4, 16], stepDurationS: 5, rabbitmqUrl: undefined });
    expect(parseOptions(['--scenarios', 'rabbitmq', '--rabbitmq-url', 'amqp://u:p@broker:5672'])!.rabbitmqUrl).toBe('amqp://u:p@broker:5672');
  });

  it('when --floor-pairs is given, then the goal steps run that many pairs; by default three', () => {
    expect(parseOptions([])!.floorPairs).toBe(3);
    expect(parseOptions(['--floor-pairs', '1'])!.floorPairs).toBe(1);
    expect(() => parseOptions(['--floor-pairs', '0'])).toThrow(/floor-pairs/);
  });

  it('when an external API is benchmarked with r but no broker URL, then it is refused', () => {
    expect(() => parseOptions(['--api', 'http://herald.example', '--scenarios', 'a,r'])).toThrow(/--rabbitmq-url/);
    expect(parseOptions(['--api', 'http://herald.example', '--scenarios', 'r', '--rabbitmq-url', 'amqp://broker'])!.scenarios).toEqual(['rabbitmq']);
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

  it.each([
    ['when no Temporal is named, then the dev server runs', [], 'dev'],
    ['when server-sqlite is named, then the real server on SQLite runs', ['--temporal', 'server-sqlite'], 'server-sqlite'],
    ['when server-postgres is named, then the real server on Postgres runs', ['--temporal', 'server-postgres'], 'server-postgres'],
  ])('%s', (_name, argv, temporal) => {
    expect(parseOptions(argv)!.temporal).toBe(temporal);
  });

  it.each([
    ['an unknown Temporal', ['--temporal', 'cloud'], /--temporal: one of dev, server-sqlite, server-postgres/],
    ['the dev server\'s SQLite mode for the real server', ['--temporal', 'server-sqlite', '--temporal-db', 'memory'], /dev server only/],
    ['a real server of the bench\'s own beside a given Temporal', ['--temporal', 'server-postgres', '--temporal-address', 'temporal:7233'], /cannot go with/],
  ])('when asked for %s, then it is refused', (_name, argv, message) => {
    expect(() => parseOptions(argv)).toThrow(message);
  });
});
