// Loaded into the workflow bundle only when tracing is on (see src/telemetry/temporal-tracing.ts).
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import { getRandomStream, type WorkflowInterceptors, type WorkflowRandomStream } from '@temporalio/workflow';

/** The named random stream span and trace ids come from. */
export const SPAN_ID_STREAM = 'herald.opentelemetry.span-ids';

/**
 * Runs every method of `interceptor` with `Math.random()` drawing from `stream`. OpenTelemetry
 * makes span ids with `Math.random()`, which in a workflow is the workflow's own deterministic
 * sequence: spans would shift the values `uuid4()` returns to the workflow (the operator-events
 * workflow names its children with them), so a history recorded with tracing off, or a query
 * traced between two workflow tasks, would replay into different commands. `next(...)` restores
 * the workflow's own sequence for the code downstream.
 */
function withRandomStream<T extends object>(interceptor: T, stream: WorkflowRandomStream): T {
  return new Proxy(interceptor, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => stream.with(() => (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
}

export const interceptors = (): WorkflowInterceptors => {
  const stream = getRandomStream(SPAN_ID_STREAM);
  return {
    inbound: [withRandomStream(new OpenTelemetryInboundInterceptor(), stream)],
    outbound: [withRandomStream(new OpenTelemetryOutboundInterceptor(), stream)],
    internals: [withRandomStream(new OpenTelemetryInternalsInterceptor(), stream)],
  };
};
