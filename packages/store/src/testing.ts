import { randomBytes } from 'node:crypto';
import { createRedisStore } from './redis/redis-store';
import type { Store } from './types';

/** A Redis store whose keys carry a random prefix, so tests never see each other's data. */
export async function createTestRedisStore(url: string): Promise<Store & { prefix: string }> {
  const prefix = `test-${randomBytes(6).toString('hex')}:`;
  const store = createRedisStore({ url, keyPrefix: prefix, commandTimeoutMs: 5_000 });
  await store.ping();
  return Object.assign(store, { prefix });
}

/** The same on a Redis Cluster (a one-node one from `startPrivateRedis({ cluster: true })`). */
export async function createTestClusterStore(url: string): Promise<Store & { prefix: string }> {
  const prefix = `test-${randomBytes(6).toString('hex')}:`;
  const store = createRedisStore({ url, cluster: true, keyPrefix: prefix, commandTimeoutMs: 5_000 });
  await store.ping();
  return Object.assign(store, { prefix });
}
