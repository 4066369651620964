import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**', 'out/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Model tests load native llama.cpp; 2 cores do not gain from more workers.
    maxWorkers: 2,
  },
});
