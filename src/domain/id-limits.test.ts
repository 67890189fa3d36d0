import { describe, expect, it } from 'vitest';
import { deliveryWorkflowId } from '../../workflows/delivery-contract.js';
import { destinationHealthWorkflowId } from '../../workflows/destination-health-contract.js';
import {
  MAX_DESTINATION_ID_LENGTH, MAX_EVENT_ID_BYTES, MAX_TENANT_ID_LENGTH, TEMPORAL_MAX_ID_BYTES,
  asciiIdProblem, eventIdProblem, utf8Length,
} from './id-limits.js';

describe('id limits', () => {
  it('when every id is at its limit, then the delivery workflow id still fits Temporal', () => {
    const id = deliveryWorkflowId('t'.repeat(MAX_TENANT_ID_LENGTH), '€'.repeat(MAX_EVENT_ID_BYTES / 3), 'd'.repeat(MAX_DESTINATION_ID_LENGTH));
    expect(utf8Length(id)).toBeLessThan(TEMPORAL_MAX_ID_BYTES);
    expect(utf8Length(destinationHealthWorkflowId('t'.repeat(MAX_TENANT_ID_LENGTH), 'd'.repeat(MAX_DESTINATION_ID_LENGTH)))).toBeLessThan(TEMPORAL_MAX_ID_BYTES);
  });

  it.each([
    ['tenant_1', null],
    ['a.b:c-d_e', null],
    ['', 'is required'],
    ['x'.repeat(255), null],
    ['x'.repeat(256), 'must be at most 255 characters'],
    ['a/b', 'is invalid'],
    ['a\u0000b', 'is invalid'],
    ['é', 'is invalid'],
  ])('when a tenant or destination id is %j, then the problem is %j', (id, problem) => {
    expect(asciiIdProblem(id, 255)).toBe(problem);
  });

  it.each([
    ['evt_1', null],
    ['', 'is required'],
    ['e'.repeat(255), null],
    ['e'.repeat(256), 'must be at most 255 bytes (UTF-8)'],
    ['é'.repeat(127), null],
    ['é'.repeat(128), 'must be at most 255 bytes (UTF-8)'],
  ])('when an event id is %j, then the problem is %j', (id, problem) => {
    expect(eventIdProblem(id)).toBe(problem);
  });
});
