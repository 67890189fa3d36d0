import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import type { Logger } from '../logger.js';
import type { DependencyStatus } from './dependency-status.js';

/** The SDK core's target for "gRPC call … retried n times" warnings. */
const RETRY_TARGET = 'temporalio_client::retry';

/**
 * Installs the Temporal SDK runtime with its logs going to `logger`, and two changes to its defaults:
 * - no shutdown signal handlers: by default the runtime catches SIGINT, SIGTERM, SIGQUIT and SIGUSR2
 *   and stops workers on its own, which keeps a process that is still starting from exiting and
 *   races the process's ordered shutdown (src/process/shutdown.ts), which owns those signals;
 * - while Temporal is unreachable the core logs a warning per retried call per poller; those are
 *   reported to `status` instead, which logs the outage once (and its end, see probeWhileWaiting).
 */
export function installTemporalRuntime(logger: Logger, status: DependencyStatus): void {
  const log = logger.child({ component: 'temporal-sdk' });
  const forward = (level: 'trace' | 'debug' | 'info' | 'warn' | 'error', message: string, meta?: Record<string, unknown>) => {
    if (meta?.target === RETRY_TARGET && (level === 'warn' || level === 'error')) {
      status.waiting('temporal', new Error(typeof meta.error === 'string' ? meta.error : message));
      return;
    }
    log[level](meta ?? {}, message);
  };
  Runtime.install({
    shutdownSignals: [],
    logger: {
      log: (level, message, meta) => forward(level === 'TRACE' ? 'trace' : (level.toLowerCase() as 'info'), message, meta),
      trace: (m, meta) => forward('trace', m, meta), debug: (m, meta) => forward('debug', m, meta),
      info: (m, meta) => forward('info', m, meta), warn: (m, meta) => forward('warn', m, meta),
      error: (m, meta) => forward('error', m, meta),
    },
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
  });
}
