import type { MemoryRedis } from './memory/memory-redis';

export type ScriptArg = string | number;

/** What a script returns: Redis' Lua reply types (integers, strings, nil, nested arrays). */
export type ScriptReply = number | string | null | ScriptReply[];

/**
 * An atomic multi-key operation, written twice: as Lua for Redis and as a synchronous function
 * over the in-memory store (atomic because nothing else runs while it does). Both versions are
 * run by the same contract tests, which is what keeps them equal.
 */
export interface StoreScript<R extends ScriptReply = ScriptReply> {
  /** Names the script in errors; Redis runs it by SHA (EVALSHA, with EVAL on NOSCRIPT). */
  readonly name: string;
  /** -1: variable; the caller passes any number of keys. */
  readonly numberOfKeys: number;
  readonly lua: string;
  readonly memory: (r: MemoryRedis, keys: string[], argv: string[]) => R;
}

/** One script call, for `runBatch`. */
export interface ScriptCall {
  script: StoreScript;
  keys: readonly string[];
  argv: readonly ScriptArg[];
}

export interface SetOptions {
  /** Expire after this many milliseconds. */
  ttlMs?: number;
  /** Only set when the key does not exist (SET NX). */
  onlyIfAbsent?: boolean;
}

/**
 * The one storage port every domain package uses. Keys should carry a hash tag (`{…}`) so every
 * script's keys land in one Redis Cluster slot; see `keys.ts`.
 */
export interface Store {
  readonly kind: 'redis' | 'memory';
  run<R extends ScriptReply>(script: StoreScript<R>, keys: readonly string[], argv: readonly ScriptArg[]): Promise<R>;
  /**
   * Runs several scripts in one round trip where the store can (a pipeline on a standalone Redis;
   * one by one on a Cluster, whose pipelines must stay in one slot). Not a transaction: resolves
   * with each call's error or null, in order, and rejects only when the store is unreachable.
   */
  runBatch(calls: readonly ScriptCall[]): Promise<(Error | null)[]>;
  get(key: string): Promise<string | null>;
  /** Returns false when `onlyIfAbsent` was set and the key already existed. */
  set(key: string, value: string, options?: SetOptions): Promise<boolean>;
  del(key: string): Promise<void>;
  incrby(key: string, by: number, ttlMs?: number): Promise<number>;
  hget(key: string, field: string): Promise<string | null>;
  hgetall(key: string): Promise<Record<string, string>>;
  hset(key: string, fields: Record<string, ScriptArg>): Promise<void>;
  hdel(key: string, fields: readonly string[]): Promise<void>;
  /** LPUSH then LTRIM to `cap` newest entries. */
  pushCapped(key: string, value: string, cap: number): Promise<void>;
  /** Newest first, inclusive indexes like LRANGE. */
  range(key: string, start: number, stop: number): Promise<string[]>;
  /** Members of a sorted set with their scores, highest first (ZREVRANGE … WITHSCORES). */
  zrevrange(key: string, start: number, stop: number): Promise<[member: string, score: number][]>;
  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
