import { defineConfig } from 'vitest/config';

// Tests import workspace packages through the "@qtk/source" export condition,
// so they run against the TypeScript sources without a build step.
export default defineConfig({
  resolve: { conditions: ['@qtk/source'] },
  ssr: { resolve: { conditions: ['@qtk/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tools/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
