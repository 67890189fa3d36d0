import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { Request, RequestHandler } from 'express';
import type { Instruments } from './instruments.js';

/**
 * The route template a request matched (`/api/v1/tenants/:tenant_id`), never the raw path: ids in
 * paths would make one metric series per tenant. Requests no route matched share one value.
 */
export function routeTemplate(req: Request): string {
  const { route } = req as { route?: { path?: unknown } };
  return typeof route?.path === 'string' ? `${req.baseUrl}${route.path}` : '(unmatched)';
}

const UNMEASURED = new Set(['/healthz', '/api/v1/healthz', '/metrics']);

/**
 * Per request: a server span continuing the caller's W3C trace context (so a publish's workflow
 * starts are its children), and `api_calls` / `api_response_latency` once the response is sent.
 * The health check and the scrape itself are left out (probes would drown the API's own numbers),
 * and so are the portal's static files, which are not API calls.
 */
export function createApiMiddleware(tracer: Tracer | null, instruments: Instruments): RequestHandler {
  return (req, res, next) => {
    if (UNMEASURED.has(req.path) || req.path === '/portal' || req.path.startsWith('/portal/')) return next();
    const startedAt = performance.now();
    const parent = tracer ? propagation.extract(ROOT_CONTEXT, req.headers) : ROOT_CONTEXT;
    const span = tracer?.startSpan(req.method, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method, 'url.path': req.path },
    }, parent);
    res.once('close', () => {
      const attributes = { method: req.method, path: routeTemplate(req), status: res.statusCode };
      const latencyMs = Math.round(performance.now() - startedAt);
      instruments.apiCalls.add(1, attributes);
      instruments.apiResponseLatency.record(latencyMs, attributes);
      if (span) {
        span.updateName(`${req.method} ${attributes.path}`);
        span.setAttributes({ 'http.route': attributes.path, 'http.response.status_code': res.statusCode });
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
    });
    if (!span) return next();
    context.with(trace.setSpan(parent, span), next);
  };
}
