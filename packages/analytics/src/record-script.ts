import type { ScriptArg, StoreScript } from '@tollgate/store';

/**
 * Increments, already summed over a batch of events, applied in one atomic step. The recorder
 * adds a batch's events up in memory first, so sixteen calls by one user to one model cost
 * Redis one increment per counter instead of sixteen.
 */
export interface RollupDelta {
  /**
   * Hash → its increments: the counters every event adds to in `counts` (see `COUNTS`), the others
   * in `fields` (field → increment; a field written as `=name` is set to the value instead).
   */
  hashes: Map<string, { expireAt: number; counts: number[]; fields: Map<string, number> }>;
  /** ZSET → member → score increment. */
  zsets: Map<string, { expireAt: number; members: Map<string, number> }>;
}

/**
 * KEYS: the hashes, then the ZSETs. ARGV: 1 hash count, then per hash `expire-at s, field count,
 * field, increment, …`, then per ZSET `expire-at s, member count, member, increment, …`.
 */
export const applyRollupsScript: StoreScript<number> = {
  name: 'tgUsageApply',
  numberOfKeys: -1,
  lua: `
local nh = tonumber(ARGV[1])
local a = 2
for i = 1, #KEYS do
  local k, exp, n = KEYS[i], ARGV[a], tonumber(ARGV[a + 1])
  a = a + 2
  for _ = 1, n do
    local f, v = ARGV[a], ARGV[a + 1]
    a = a + 2
    if i > nh then
      redis.call('ZINCRBY', k, v, f)
    elseif string.sub(f, 1, 1) == '=' then
      redis.call('HSET', k, string.sub(f, 2), v)
    else
      redis.call('HINCRBY', k, f, v)
    end
  end
  redis.call('EXPIREAT', k, exp)
end
return 1`,
  memory(r, keys, argv) {
    const nh = Number(argv[0]);
    let a = 1;
    keys.forEach((k, i) => {
      const exp = Number(argv[a]);
      const n = Number(argv[a + 1]);
      a += 2;
      for (let j = 0; j < n; j++) {
        const f = argv[a] as string;
        const v = Number(argv[a + 1]);
        a += 2;
        if (i >= nh) r.zadd(k, (r.zscore(k, f) ?? 0) + v, f);
        else if (f.startsWith('=')) r.hset(k, { [f.slice(1)]: v });
        else r.hincrby(k, f, v);
      }
      r.expireat(k, exp);
    });
    return 1;
  },
};

/**
 * The counters of `RollupDelta.counts`, by slot. The first six are written for every event (so a
 * rollup always has them, zero or not); the last three only once some event counted one.
 */
export const COUNTS = ['req', 'cost', 'pt', 'ct', 'cached', 'lat', 'err', 'est', 'aborted'] as const;
const ALWAYS = 6;

export function applyRollupsArgs(delta: RollupDelta): { keys: string[]; argv: ScriptArg[] } {
  const keys: string[] = [];
  const argv: ScriptArg[] = [delta.hashes.size];
  for (const [key, h] of delta.hashes) {
    keys.push(key);
    argv.push(h.expireAt, 0);
    const countAt = argv.length - 1;
    let n = 0;
    for (let i = 0; i < COUNTS.length; i++) {
      const v = h.counts[i] as number;
      if (i < ALWAYS || v !== 0) {
        argv.push(COUNTS[i] as string, v);
        n++;
      }
    }
    for (const [f, v] of h.fields) argv.push(f, v);
    argv[countAt] = n + h.fields.size;
  }
  for (const [key, z] of delta.zsets) {
    keys.push(key);
    argv.push(z.expireAt, z.members.size);
    for (const [f, v] of z.members) argv.push(f, v);
  }
  return { keys, argv };
}

/**
 * Pushes a batch's events onto capped recent-call logs, newest first (all keys carry the
 * `{usage}` hash tag). KEYS: the logs. ARGV: per log `cap, count, event JSON…` in push order.
 */
export const recentScript: StoreScript<number> = {
  name: 'tgUsageRecentBatch',
  numberOfKeys: -1,
  lua: `
local a = 1
for i = 1, #KEYS do
  local cap, n = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
  redis.call('LPUSH', KEYS[i], unpack(ARGV, a + 2, a + 1 + n))
  redis.call('LTRIM', KEYS[i], 0, cap - 1)
  a = a + 2 + n
end
return 1`,
  memory(r, keys, argv) {
    let a = 0;
    for (const key of keys) {
      const cap = Number(argv[a]);
      const n = Number(argv[a + 1]);
      for (let j = 0; j < n; j++) r.lpush(key, argv[a + 2 + j] as string);
      r.ltrim(key, 0, cap - 1);
      a += 2 + n;
    }
    return 1;
  },
};
