import { keyCountError } from '../errors';
import type { ScriptArg, ScriptReply, SetOptions, Store, StoreScript } from '../types';
import { MemoryRedis } from './memory-redis';

export interface MemoryStoreOptions {
  /** Clock in epoch ms; injectable for tests. */
  now?: () => number;
  /** How often expired keys are swept, ms. 0 disables the timer. */
  sweepIntervalMs?: number;
}

/**
 * The embedded store: everything in this process, nothing persisted, limits per process.
 * Async only so it satisfies the same port as Redis; every operation completes synchronously,
 * which is what makes each script atomic.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store & { readonly redis: MemoryRedis } {
  const redis = new MemoryRedis(options.now);
  const interval = options.sweepIntervalMs ?? 60_000;
  const timer = interval > 0 ? setInterval(() => redis.sweep(), interval) : null;
  timer?.unref();
  let closed = false;

  const guard = <T>(fn: () => T): Promise<T> => {
    if (closed) return Promise.reject(new Error('store closed'));
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error);
    }
  };

  return {
    kind: 'memory',
    redis,
    run<R extends ScriptReply>(script: StoreScript<R>, keys: readonly string[], argv: readonly ScriptArg[]) {
      const invalid = keyCountError(script, keys);
      if (invalid) return Promise.reject(invalid);
      return guard(() => script.memory(redis, [...keys], argv.map(String)));
    },
    runBatch(calls) {
      return guard(() =>
        calls.map((c) => {
          const invalid = keyCountError(c.script, c.keys);
          if (invalid) return invalid;
          try {
            c.script.memory(redis, [...c.keys], c.argv.map(String));
            return null;
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      );
    },
    get: (key) => guard(() => redis.get(key)),
    set: (key, value, opts: SetOptions = {}) =>
      guard(() =>
        redis.set(key, value, { ...(opts.ttlMs !== undefined && { px: opts.ttlMs }), nx: !!opts.onlyIfAbsent }),
      ),
    del: (key) => guard(() => void redis.del(key)),
    incrby: (key, by, ttlMs) =>
      guard(() => {
        const value = redis.incrby(key, by);
        if (ttlMs !== undefined && redis.pttl(key) === -1) redis.pexpire(key, ttlMs);
        return value;
      }),
    hget: (key, field) => guard(() => redis.hget(key, field)),
    hgetall: (key) => guard(() => redis.hgetall(key)),
    hset: (key, fields) => guard(() => void redis.hset(key, fields)),
    hdel: (key, fields) => guard(() => void redis.hdel(key, ...fields)),
    pushCapped: (key, value, cap) =>
      guard(() => {
        redis.lpush(key, value);
        redis.ltrim(key, 0, cap - 1);
      }),
    range: (key, start, stop) => guard(() => redis.lrange(key, start, stop)),
    zrevrange: (key, start, stop) => guard(() => redis.zrevrangeWithScores(key, start, stop)),
    ping: () => guard(() => undefined),
    close: () => {
      closed = true;
      if (timer) clearInterval(timer);
      return Promise.resolve();
    },
  };
}
