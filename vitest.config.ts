import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing running; `integration` gets the real stack
// (Temporal dev server, embedded Postgres, brokers) from test/harness/global-setup.ts.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['src/**/*.test.ts', 'workflows/**/*.test.ts', 'activities/**/*.test.ts', 'bench/**/*.test.ts', 'portal/src/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/**/*.test.ts', 'src/**/*.int.test.ts', 'activities/**/*.int.test.ts', 'workflows/**/*.int.test.ts', 'bench/**/*.int.test.ts'],
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          pool: 'forks',
          maxWorkers: 2,
        },
      },
    ],
  },
});
