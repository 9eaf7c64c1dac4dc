import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['@tollgate/test-tools/redis-global-setup'],
    include: ['e2e/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
