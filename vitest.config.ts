import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Unit files first (they are quick), then the integration files with their own worker count.
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          // Every file builds its own namespaces, named and labelled by its run id, so files are isolated:
          // two at a time on the 2-core machine keeps CI under 30 minutes; timing assertions use generous
          // bounds (tight figures belong to `npm run bench`).
          fileParallelism: true,
          maxWorkers: 2,
          // A test that failed is run once more before it counts: on a shared 2-core machine a daemon can miss
          // a deadline now and then (a second failure is a failure; the retry shows in the report).
          retry: 1,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
