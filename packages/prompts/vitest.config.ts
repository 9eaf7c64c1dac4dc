import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['@tollgate/test-tools/redis-global-setup'],
    testTimeout: 20_000,
  },
});
