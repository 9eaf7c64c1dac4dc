import type { ScriptArg, StoreScript } from '@tollgate/store';

/**
 * Increments, already summed over a batch of events, applied in one atomic step. The recorder
 * adds a batch's events up in memory first, so sixteen calls by one user to one model cost
 * Redis one increment per counter instead of sixteen.
 */
export interface RollupDelta {
  /** Hash → field → increment. A field written as `=name` is set to the value instead. */
  hashes: Map<string, { expireAt: number; fields: Map<string, number> }>;
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

export function applyRollupsArgs(delta: RollupDelta): { keys: string[]; argv: ScriptArg[] } {
  const keys: string[] = [];
  const argv: ScriptArg[] = [delta.hashes.size];
  const add = (key: string, expireAt: number, entries: Map<string, number>) => {
    keys.push(key);
    argv.push(expireAt, entries.size);
    for (const [f, v] of entries) argv.push(f, v);
  };
  for (const [key, h] of delta.hashes) add(key, h.expireAt, h.fields);
  for (const [key, z] of delta.zsets) add(key, z.expireAt, z.members);
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
