import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Test files run in parallel, one database / Redis prefix / NATS stream per worker.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
        },
      },
      {
        // The client suite once more, through the HTTP clients and the stub server (stub-env.ts).
        extends: true,
        test: {
          name: 'clients-http',
          include: ['test/integration/stubs/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          env: { CRAFT_TEST_CLIENTS: 'http' },
        },
      },
    ],
  },
});
