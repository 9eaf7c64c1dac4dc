import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the Redis the test run may use (see redis-global-setup.ts). */
    redisUrl: string;
  }
}
