import { defineConfig } from 'vitest/config';

/** Benchmarks: run by `npm run bench` (bench/run.js), never by `npm test`. One worker so runs do not compete for the 2 cores. */
export default defineConfig({
  test: {
    include: ['bench/**/*.bench-run.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 5 * 60_000,
    maxWorkers: 1,
    fileParallelism: false,
    reporters: ['default'],
  },
});
