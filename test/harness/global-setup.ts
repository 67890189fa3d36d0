import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './postgres.js';
import { startTestTemporal } from './temporal.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's Postgres; pass it to `createTestDatabase`. */
    databaseAdminUrl: string;
    /** host:port of the run's Temporal dev server (namespace `herald`). */
    temporalAddress: string;
  }
}

/** Integration-suite global setup: the real services, started once per run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [postgres, temporal] = await Promise.all([startTestPostgres(), startTestTemporal()]);
  project.provide('databaseAdminUrl', postgres.adminUrl);
  project.provide('temporalAddress', temporal.address);
  return async () => {
    await Promise.all([postgres.stop(), temporal.stop()]);
  };
}
