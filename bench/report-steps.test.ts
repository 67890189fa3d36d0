import { describe, expect, it } from 'vitest';
import { compareWithWebhook } from './broker-comparison.js';
import { eagerCell, renderBroker } from './report-steps.js';
import { closedStep } from './step-fixtures.js';

describe('eagerCell', () => {
  it.each([
    ['when Temporal\'s metrics are unknown, then n/a', null, 'n/a'],
    ['when nothing was started, then a dash', { starts: 0, requested: 0, denied: 0, ratio: null }, '–'],
    ['when every start was eager, then 100 %', { starts: 812, requested: 812, denied: 0, ratio: 1 }, '100.0 % (812/812)'],
    ['when some were denied, then the denials are named', { starts: 200, requested: 150, denied: 10, ratio: 0.7 }, '70.0 % (140/200, 10 denied)'],
  ])('%s', (_name, eager, expected) => {
    expect(eagerCell(eager)).toBe(expected);
  });
});

describe('renderBroker', () => {
  const webhook = [closedStep(4, 30, { herald: 16, temporal: 10, postgres: 1, rabbitmq: 0.3, bench: 2 })];
  const broker = [closedStep(4, 25, { herald: 12, temporal: 10, postgres: 1, rabbitmq: 5, bench: 3 }), closedStep(16, 40, { herald: 11 })];

  it('when both ran a step, then the webhook row comes first and leaves the idle broker out of its CPU', () => {
    const lines = renderBroker(broker, webhook, compareWithWebhook(webhook, broker), ['herald']);
    const rows = lines[1]!.split('\n').slice(2).map((l) => l.trim().split(/\s+/));

    expect(rows.map((r) => [r[0], r[1]])).toEqual([['4', 'webhook'], ['4', 'rabbitmq'], ['16', 'rabbitmq']]);
    // herald temporal postgres rabbitmq bench stack all
    expect(rows[0]!.slice(5, 12)).toEqual(['16', '10', '1', '–', '2', '27', '27']);
    expect(rows[1]!.slice(5, 12)).toEqual(['12', '10', '1', '5', '3', '23', '28']);
    expect(lines.join('\n')).toContain('rabbitmq ÷ webhook per step');
  });

  it('when the webhook did not run, then only the broker rows are shown, without ratios', () => {
    const lines = renderBroker(broker, [], [], ['herald']);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^r\) RabbitMQ/);
  });
});
