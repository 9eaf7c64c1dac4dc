import { countSocketWrites, type PrivateRedis, startPrivateRedis } from '@tollgate/test-tools';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isStoreUnavailable } from './errors';
import { createMemoryStore } from './memory/memory-store';
import { createRedisStore } from './redis/redis-store';
import { createTestClusterStore, createTestRedisStore } from './testing';
import type { Store, StoreScript } from './types';

/** Admits `amount` while the counter stays ≤ limit: the shape of every spend script. */
const admitBelow: StoreScript<number> = {
  name: 'tgTestAdmitBelow',
  numberOfKeys: 1,
  lua: `
    local used = tonumber(redis.call('GET', KEYS[1]) or '0')
    if used + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return 0 end
    redis.call('INCRBY', KEYS[1], ARGV[1])
    return 1`,
  memory: (r, keys, argv) => {
    const [key] = keys as [string];
    const used = Number(r.get(key) ?? '0');
    if (used + Number(argv[0]) > Number(argv[1])) return 0;
    r.incrby(key, Number(argv[0]));
    return 1;
  },
};

const hincrNotInteger: StoreScript<number> = {
  name: 'tgTestHincrBad',
  numberOfKeys: 1,
  lua: `redis.call('HSET', KEYS[1], 'f', 'x') return redis.call('HINCRBY', KEYS[1], 'f', 1)`,
  memory: (r, keys) => {
    r.hset(keys[0] as string, { f: 'x' });
    return r.hincrby(keys[0] as string, 'f', 1);
  },
};

const stores: [string, () => Promise<Store>][] = [
  ['memory', async () => createMemoryStore({ sweepIntervalMs: 0 })],
  ['redis', () => createTestRedisStore(inject('redisUrl'))],
  ['redis-cluster', () => createTestClusterStore(cluster.url)],
];

// A one-node Redis Cluster: scripts and batches take the cluster code paths.
let cluster: PrivateRedis;
beforeAll(async () => {
  cluster = await startPrivateRedis({ cluster: true });
});
afterAll(() => cluster?.stop());

describe('Redis store writes', () => {
  it('sends the scripts started in one turn, and a batch, in one socket write each', async () => {
    const store = createRedisStore({ url: inject('redisUrl'), keyPrefix: 'tg-writes:' });
    try {
      await store.ping();
      await store.run(admitBelow, ['tg:{t}:w'], [0, 1]); // loads the script on this connection
      const writes = countSocketWrites((store.client as import('ioredis').Redis).stream);
      const replies = await Promise.all(
        Array.from({ length: 30 }, (_, i) => store.run(admitBelow, [`tg:{t}:w${i}`], [1, 10])),
      );
      expect(replies).toEqual(Array(30).fill(1));
      expect(writes.count).toBe(1);
      writes.reset();
      const batch = await store.runBatch(
        Array.from({ length: 10 }, (_, i) => ({ script: admitBelow, keys: [`tg:{t}:b${i}`], argv: [1, 10] })),
      );
      expect(batch).toEqual(Array(10).fill(null));
      expect(writes.count).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe('Redis store scripts', () => {
  it('runs scripts again after the server forgot them (restart, SCRIPT FLUSH): NOSCRIPT is answered with EVAL', async () => {
    const store = createRedisStore({ url: inject('redisUrl'), keyPrefix: `flush${Math.random()}:` });
    try {
      await store.ping();
      const key = `tg:{t}:flush${Math.random()}`;
      expect(await store.run(admitBelow, [key], [1, 10])).toBe(1);
      for (let round = 0; round < 2; round++) {
        await store.client.script('FLUSH');
        // Concurrent first uses each fall back on their own, and each is applied once.
        const replies = await Promise.all([1, 2, 3].map(() => store.run(admitBelow, [key], [1, 10])));
        expect(replies).toEqual([1, 1, 1]);
        await store.client.script('FLUSH');
        expect(await store.runBatch([{ script: admitBelow, keys: [key], argv: [1, 10] }])).toEqual([null]);
      }
      expect(await store.get(key)).toBe('9');
    } finally {
      await store.close();
    }
  });
});

describe('Redis store key prefix', () => {
  it('writes every key, from commands and scripts alike, under its prefix and reads them back', async () => {
    const prefix = `tg-prefix-${Date.now()}:`;
    const store = createRedisStore({ url: inject('redisUrl'), keyPrefix: prefix });
    const raw = createRedisStore({ url: inject('redisUrl') });
    try {
      await Promise.all([store.ping(), raw.ping()]);
      await store.set('tg:{t}:s', 'v');
      await store.incrby('tg:{t}:i', 2, 60_000);
      await store.hset('tg:{t}:h', { f: 1 });
      await store.pushCapped('tg:{t}:l', 'x', 5);
      await store.run(admitBelow, ['tg:{t}:script'], [1, 5]);
      await store.runBatch([{ script: admitBelow, keys: ['tg:{t}:batch'], argv: [1, 5] }]);
      const client = raw.client as import('ioredis').Redis;
      const written = (await client.keys(`*tg:{t}:*`)).filter((k) => k.includes('tg-prefix-')).sort();
      expect(written).toEqual(['batch', 'h', 'i', 'l', 's', 'script'].map((k) => `${prefix}tg:{t}:${k}`));
      expect(await store.get('tg:{t}:script')).toBe('1');
      expect(await store.hget('tg:{t}:h', 'f')).toBe('1');
      expect(await store.range('tg:{t}:l', 0, -1)).toEqual(['x']);
      expect(await raw.get('tg:{t}:s')).toBeNull();
      await client.del(...written);
    } finally {
      await store.close();
      await raw.close();
    }
  });
});

describe('Redis store with a hung server', () => {
  it('fails scripts started together fast, as an outage, and recovers when the server answers again', async () => {
    const redis = await startPrivateRedis();
    const store = createRedisStore({ url: redis.url, commandTimeoutMs: 200 });
    try {
      await store.ping();
      redis.pause();
      const started = performance.now();
      // Started in one turn, so they go out as one pipeline: each still has its own timeout.
      const calls = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.run(admitBelow, [`tg:{t}:hang${i}`], [1, 10])),
      );
      expect(performance.now() - started).toBeLessThan(1_500);
      for (const c of calls) {
        expect(c.status).toBe('rejected');
        expect(isStoreUnavailable((c as PromiseRejectedResult).reason)).toBe(true);
      }
      redis.resume();
      await expect(store.run(admitBelow, ['tg:{t}:after'], [1, 10])).resolves.toBe(1);
    } finally {
      redis.resume();
      await store.close();
      await redis.stop();
    }
  });
});

describe.each(stores)('Store contract: %s', (_name, make) => {
  const opened: Store[] = [];
  const open = async () => {
    const s = await make();
    opened.push(s);
    return s;
  };
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
  });

  it('gets, sets, deletes and honours set-if-absent', async () => {
    const s = await open();
    expect(await s.get('tg:{t}:a')).toBeNull();
    expect(await s.set('tg:{t}:a', 'one')).toBe(true);
    expect(await s.set('tg:{t}:a', 'two', { onlyIfAbsent: true })).toBe(false);
    expect(await s.get('tg:{t}:a')).toBe('one');
    await s.del('tg:{t}:a');
    expect(await s.get('tg:{t}:a')).toBeNull();
  });

  it('expires keys after their TTL', async () => {
    const s = await open();
    await s.set('tg:{t}:ttl', 'v', { ttlMs: 40 });
    expect(await s.get('tg:{t}:ttl')).toBe('v');
    await new Promise((r) => setTimeout(r, 120));
    expect(await s.get('tg:{t}:ttl')).toBeNull();
  });

  it('increments integers, setting the TTL only on first write', async () => {
    const s = await open();
    expect(await s.incrby('tg:{t}:n', 5, 60_000)).toBe(5);
    expect(await s.incrby('tg:{t}:n', -2, 60_000)).toBe(3);
  });

  it('keeps hashes', async () => {
    const s = await open();
    await s.hset('tg:{t}:h', { a: 1, b: 'two' });
    expect(await s.hget('tg:{t}:h', 'a')).toBe('1');
    expect(await s.hgetall('tg:{t}:h')).toEqual({ a: '1', b: 'two' });
    await s.hdel('tg:{t}:h', ['a']);
    expect(await s.hgetall('tg:{t}:h')).toEqual({ b: 'two' });
    expect(await s.hgetall('tg:{t}:missing')).toEqual({});
  });

  it('keeps capped lists, newest first', async () => {
    const s = await open();
    for (let i = 0; i < 5; i++) await s.pushCapped('tg:{t}:l', `e${i}`, 3);
    expect(await s.range('tg:{t}:l', 0, -1)).toEqual(['e4', 'e3', 'e2']);
    expect(await s.range('tg:{t}:l', 1, 1)).toEqual(['e3']);
  });

  it('reads sorted sets highest first with scores', async () => {
    const s = await open();
    const zadd: StoreScript<number> = {
      name: 'tgTestZadd',
      numberOfKeys: -1,
      lua: `for i, k in ipairs(KEYS) do redis.call('ZINCRBY', k, ARGV[i], ARGV[i + #KEYS]) end return #KEYS`,
      memory: (r, keys, argv) => {
        keys.forEach((k, i) => {
          const m = argv[i + keys.length] as string;
          r.zadd(k, (r.zscore(k, m) ?? 0) + Number(argv[i]), m);
        });
        return keys.length;
      },
    };
    expect(await s.run(zadd, ['tg:{t}:z', 'tg:{t}:z', 'tg:{t}:z'], [5, 7, 1, 'a', 'b', 'a'])).toBe(3);
    expect(await s.zrevrange('tg:{t}:z', 0, -1)).toEqual([
      ['b', 7],
      ['a', 6],
    ]);
    expect(await s.zrevrange('tg:{t}:none', 0, -1)).toEqual([]);
  });

  it('runs scripts atomically under concurrency', async () => {
    const s = await open();
    const results = await Promise.all(Array.from({ length: 200 }, () => s.run(admitBelow, ['tg:{t}:c'], [3, 100])));
    expect(results.filter((r) => r === 1)).toHaveLength(33);
    expect(await s.get('tg:{t}:c')).toBe('99');
  });

  it('runs a batch of scripts, reporting each call’s own error in order', async () => {
    const store = await open();
    const results = await store.runBatch([
      { script: admitBelow, keys: ['tg:{t}:batch'], argv: [3, 5] },
      { script: hincrNotInteger, keys: ['tg:{t}:batch-bad'], argv: [] },
      { script: admitBelow, keys: ['tg:{t}:batch'], argv: [2, 5] },
      { script: admitBelow, keys: ['tg:{t}:batch'], argv: [1, 5] },
    ]);
    expect(results.map((r) => (r === null ? null : 'error'))).toEqual([null, 'error', null, null]);
    expect(await store.get('tg:{t}:batch')).toBe('5');
    expect(await store.runBatch([])).toEqual([]);
  });

  it('gives each of many scripts started together its own reply, and its own error', async () => {
    const s = await open();
    const echo: StoreScript<string> = {
      name: 'tgTestEcho',
      numberOfKeys: 1,
      lua: `return KEYS[1] .. '=' .. ARGV[1]`,
      memory: (_r, keys, argv) => `${keys[0]}=${argv[0]}`,
    };
    const calls = Array.from({ length: 50 }, (_, i) =>
      i % 10 === 7 ? s.run(hincrNotInteger, [`tg:{t}:e${i}`], []) : s.run(echo, [`tg:{t}:k${i}`], [i]),
    );
    const settled = await Promise.allSettled(calls);
    settled.forEach((r, i) => {
      if (i % 10 === 7) {
        expect(r.status).toBe('rejected');
        expect(isStoreUnavailable((r as PromiseRejectedResult).reason)).toBe(false);
      } else {
        expect(r).toEqual({ status: 'fulfilled', value: expect.stringMatching(new RegExp(`:k${i}=${i}$`)) });
      }
    });
  });

  it('refuses a script call with the wrong number of keys, changing nothing', async () => {
    const s = await open();
    await expect(s.run(admitBelow, ['tg:{t}:arity', 'tg:{t}:extra'], [1, 5])).rejects.toThrow(/takes 1 keys, got 2/);
    const [batched] = await s.runBatch([{ script: admitBelow, keys: [], argv: [1, 5] }]);
    expect(String(batched)).toMatch(/takes 1 keys, got 0/);
    expect(await s.get('tg:{t}:arity')).toBeNull();
  });

  it('rejects a script that raises a Redis error, without an outage error', async () => {
    const s = await open();
    await expect(s.run(hincrNotInteger, ['tg:{t}:bad'], [])).rejects.toThrow(/not an integer/);
    await expect(s.ping()).resolves.toBeUndefined();
  });
});
