import { defineConfig } from 'vitest/config';

/**
 * Three projects, all run by `vitest run` (`npm test`):
 * - unit: pure rules, no PostgreSQL or Redis (`vitest run --project unit` passes with both down);
 * - integration: real PostgreSQL + Redis (test/integration, and test/faults which runs the built service);
 * - e2e: the service end to end, also on real PostgreSQL + Redis.
 * The settings below the projects are shared by all three (`extends: true`).
 */
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts', 'test/faults/**/*.test.ts'], globalSetup: ['test/global-setup.ts'] },
      },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/global-setup.ts'] } },
    ],
  },
});
