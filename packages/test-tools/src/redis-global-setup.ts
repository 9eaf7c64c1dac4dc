/// <reference path="./vitest-context.d.ts" />
import type { TestProject } from 'vitest/node';
import { startPrivateRedis } from './redis-server';

/**
 * Vitest global setup: a private redis-server on a free port for the run. Without redis-server on
 * PATH it uses TEST_REDIS_URL or REDIS_URL; with neither it fails and says how to install Redis.
 * Tests read the URL with `inject('redisUrl')` and isolate themselves with a random key prefix,
 * so an external Redis is never flushed.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const explicit = process.env.TEST_REDIS_URL;
  if (explicit) {
    project.provide('redisUrl', explicit);
    return async () => {};
  }
  try {
    const redis = await startPrivateRedis();
    project.provide('redisUrl', redis.url);
    return () => redis.stop();
  } catch (error) {
    const fallback = process.env.REDIS_URL;
    if (!fallback) throw error;
    project.provide('redisUrl', fallback);
    return async () => {};
  }
}
