import type { Logger } from '../logger.js';

/**
 * What a process knows about each dependency it needs (Postgres, Temporal): healthy, or waited
 * for since a moment and why. Logging happens here and only on a change (a new reason to wait, or
 * the wait ending), so a dependency that is down for minutes costs a few lines, not one per retry.
 */

export type DependencyState =
  | { readonly status: 'healthy' }
  | { readonly status: 'waiting'; readonly since: string; readonly error?: string };

export interface DependencyStatus {
  /** Records a failed attempt; logs when the dependency was healthy before or the reason changed. */
  waiting(name: string, error: unknown): void;
  /** Records a success; logs when it ends a wait that had a reason. */
  ready(name: string): void;
  /** True when every dependency known so far is healthy. */
  allReady(): boolean;
  snapshot(): Readonly<Record<string, DependencyState>>;
}

interface Entry {
  state: DependencyState;
  sinceMs: number;
}

/** `expected` are listed as waiting before the first attempt, so a health check names them at once. */
export function createDependencyStatus(logger: Logger, expected: readonly string[] = []): DependencyStatus {
  const entries = new Map<string, Entry>();
  const now = Date.now();
  for (const name of expected) entries.set(name, { state: { status: 'waiting', since: new Date(now).toISOString() }, sinceMs: now });
  return {
    waiting(name, error) {
      const message = describeError(error);
      const current = entries.get(name);
      if (current?.state.status === 'waiting') {
        if (current.state.error !== message) {
          logger.warn({ dependency: name, error: message }, `waiting for ${name}`);
          current.state = { ...current.state, error: message };
        }
        return;
      }
      logger.warn({ dependency: name, error: message }, `waiting for ${name}`);
      const at = Date.now();
      entries.set(name, { state: { status: 'waiting', since: new Date(at).toISOString(), error: message }, sinceMs: at });
    },
    ready(name) {
      const current = entries.get(name);
      if (current?.state.status === 'waiting' && current.state.error !== undefined) {
        logger.info({ dependency: name, waitedSeconds: Math.round((Date.now() - current.sinceMs) / 100) / 10 }, `${name} is reachable`);
      }
      entries.set(name, { state: { status: 'healthy' }, sinceMs: Date.now() });
    },
    allReady: () => [...entries.values()].every((entry) => entry.state.status === 'healthy'),
    snapshot: () => Object.fromEntries([...entries].map(([name, entry]) => [name, entry.state])),
  };
}

/**
 * One line for an error, stable across retries of the same failure. Node's connection errors to a
 * host with several addresses are AggregateErrors with an empty message: their parts are joined.
 */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return [...new Set(error.errors.map(describeError))].join('; ');
  }
  if (error instanceof Error) {
    const text = error.message || (error as NodeJS.ErrnoException).code || error.name;
    return text.split('\n')[0]!.slice(0, 300);
  }
  return String(error).slice(0, 300);
}

/**
 * While `name` is reported as waiting (e.g. by the Temporal SDK's retry warnings), runs `check`
 * every `intervalMs` and marks it ready once the check passes, which logs the recovery once.
 * Returns the call that stops probing.
 */
export function probeWhileWaiting(status: DependencyStatus, name: string, check: () => Promise<unknown>, intervalMs = 5_000): () => void {
  let probing = false;
  const timer = setInterval(() => {
    if (probing || status.snapshot()[name]?.status !== 'waiting') return;
    probing = true;
    check().then(() => status.ready(name), () => undefined).finally(() => (probing = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
