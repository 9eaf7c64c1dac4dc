export { isStoreUnavailable, StoreUnavailableError } from './errors';
export { hashSlot, taggedKey } from './keys';
export { MemoryRedis } from './memory/memory-redis';
export { createMemoryStore, type MemoryStoreOptions } from './memory/memory-store';
export { createRedisStore, type RedisStoreOptions } from './redis/redis-store';
export type { ScriptArg, ScriptCall, ScriptReply, SetOptions, Store, StoreScript } from './types';
