import type { Request, Response } from 'express';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, RetryRefusedError, ValidationError } from '../services/errors.js';
import { createErrorHandler } from './error-handler.js';
import { ApiError } from './errors.js';

/** Runs the handler on `error` and returns the status and the exact JSON text it answered. */
function answer(error: unknown): { status: number | undefined; json: string } {
  const handle = createErrorHandler({ logger: pino({ level: 'silent' }), maxRequestBodyBytes: 1024 });
  const sent: { status?: number; json: string } = { json: '' };
  const res = {
    status(code: number) { sent.status = code; return res; },
    json(body: unknown) { sent.json = JSON.stringify(body); return res; },
    setHeader() { return res; },
  };
  handle(error, { method: 'POST', path: '/test' } as Request, res as unknown as Response, () => undefined);
  return { status: sent.status, json: sent.json };
}

describe('error handler', () => {
  it.each([
    ['the input breaks a rule', new ValidationError(['type is invalid', 'topics is required']), 422,
      { status: 422, message: 'validation error', data: ['type is invalid', 'topics is required'] }],
    ['an event does not exist', new NotFoundError('event', 'evt_1'), 404, { status: 404, message: 'event not found' }],
    ['a destination does not exist', new NotFoundError('destination', 'des_1'), 404,
      { status: 404, message: 'destination not found' }],
    ['the role may not do it', new ForbiddenError('only an admin may set created_at'), 403, { status: 403, message: 'forbidden' }],
    ['a write clashes with what is stored', new ConflictError('t_1', 'destination already exists'), 400,
      { status: 400, message: 'destination already exists' }],
    ['a retry finds the destination disabled', new RetryRefusedError('destination_disabled', 'evt_1', 'des_1'), 400,
      { status: 400, message: 'Destination is disabled', data: { error: 'destination_disabled' } }],
    ['a retry finds the destination no longer matching', new RetryRefusedError('destination_mismatch', 'evt_1', 'des_1'), 400,
      { status: 400, message: 'destination does not match event' }],
    ['the API refuses the request itself', new ApiError(400, 'invalid cursor'), 400, { status: 400, message: 'invalid cursor' }],
  ])('when %s, then it answers that status with the contract envelope', (_when, error, status, body) => {
    expect(answer(error)).toEqual({ status, json: JSON.stringify(body) });
  });

  it('when an unexpected error is thrown, then 500 without its detail', () => {
    expect(answer(new Error('secret detail'))).toEqual({
      status: 500, json: JSON.stringify({ status: 500, message: 'internal server error' }),
    });
  });
});
