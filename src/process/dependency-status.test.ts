import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createDependencyStatus, describeError } from './dependency-status.js';

function recordingLogger() {
  const lines: { level: number; msg: string; error?: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('dependency status', () => {
  it('when the same failure repeats, then it is logged once', () => {
    const { logger, lines } = recordingLogger();
    const status = createDependencyStatus(logger, ['postgres']);
    for (let i = 0; i < 5; i++) status.waiting('postgres', new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    expect(lines.map((l) => l.msg)).toEqual(['waiting for postgres']);
    expect(status.snapshot().postgres).toMatchObject({ status: 'waiting', error: 'connect ECONNREFUSED 127.0.0.1:5432' });
  });

  it('when the reason changes and then the dependency answers, then each change is logged once', () => {
    const { logger, lines } = recordingLogger();
    const status = createDependencyStatus(logger, ['postgres']);
    status.waiting('postgres', new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    status.waiting('postgres', new Error('the database system is starting up'));
    status.waiting('postgres', new Error('the database system is starting up'));
    status.ready('postgres');
    status.ready('postgres');
    expect(lines.map((l) => [l.msg, l.error])).toEqual([
      ['waiting for postgres', 'connect ECONNREFUSED 127.0.0.1:5432'],
      ['waiting for postgres', 'the database system is starting up'],
      ['postgres is reachable', undefined],
    ]);
    expect(status.snapshot()).toEqual({ postgres: { status: 'healthy' } });
  });

  it('when a dependency answers at the first attempt, then nothing is logged and all are ready only once each is', () => {
    const { logger, lines } = recordingLogger();
    const status = createDependencyStatus(logger, ['postgres', 'temporal']);
    status.ready('postgres');
    expect(status.allReady()).toBe(false);
    expect(status.snapshot().temporal).toMatchObject({ status: 'waiting', since: expect.any(String) });
    status.ready('temporal');
    expect(status.allReady()).toBe(true);
    expect(lines).toEqual([]);
  });

  it('when a connection fails on every address of a host, then the parts are joined into one line', () => {
    const error = new AggregateError([new Error('connect ECONNREFUSED ::1:5432'), new Error('connect ECONNREFUSED 127.0.0.1:5432')], '');
    expect(describeError(error)).toBe('connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432');
    expect(describeError(Object.assign(new Error(''), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
  });
});
