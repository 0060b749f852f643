import { defineConfig } from 'vitest/config';

/**
 * `npm run test:chaos`: several service processes (the production build) on private
 * MariaDB, Redis and NATS servers that the tests stop, kill and restart. One file at a
 * time: each starts three service processes and drives them hard.
 */
export default defineConfig({
  test: {
    name: 'chaos',
    include: ['test/chaos/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
