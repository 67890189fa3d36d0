import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { routeTemplate } from './api-middleware.js';

describe('the route a request is measured under', () => {
  it.each([
    [{ baseUrl: '/api/v1', route: { path: '/tenants/:tenant_id' } }, '/api/v1/tenants/:tenant_id'],
    [{ baseUrl: '/api/v1', route: { path: '/publish' } }, '/api/v1/publish'],
    [{ baseUrl: '', route: { path: '/healthz' } }, '/healthz'],
    [{ baseUrl: '/api/v1' }, '(unmatched)'],
  ])('when the request is %o, then it is %s', (req, expected) => {
    expect(routeTemplate(req as unknown as Request)).toBe(expected);
  });
});
