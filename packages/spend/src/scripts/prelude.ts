import type { MemoryRedis } from '@tollgate/store';

/**
 * Helpers shared by the spend scripts, once in Lua and once in TypeScript. A counter is a hash
 * `c` (settled µ$), `o` (outstanding reservations µ$), `l:<rid>` (a live lease) and `x:<rid>`
 * (a lease that expired before its settle), plus a ZSET of lease expiries.
 */
export const LUA_PRELUDE = `
local function reclaim(h, z, now)
  local ids = redis.call('ZRANGEBYSCORE', z, '-inf', now, 'LIMIT', 0, 64)
  for _, id in ipairs(ids) do
    local a = redis.call('HGET', h, 'l:' .. id)
    if a then
      redis.call('HINCRBY', h, 'o', -tonumber(a))
      redis.call('HDEL', h, 'l:' .. id)
      redis.call('HSET', h, 'x:' .. id, a)
    end
    redis.call('ZREM', z, id)
  end
end
local function counter(h)
  local v = redis.call('HMGET', h, 'c', 'o')
  return tonumber(v[1]) or 0, tonumber(v[2]) or 0
end
local function limit(defaults, users, field, userField, env)
  local v = false
  if userField then v = redis.call('HGET', users, userField) end
  if not v then v = redis.call('HGET', defaults, field) end
  if not v then v = env end
  return tonumber(v)
end
`;

/** Frees the budget of leases that expired (crashed or hung instances); bounded work per call. */
export function reclaim(r: MemoryRedis, h: string, z: string, now: number): void {
  for (const id of r.zrangebyscore(z, Number.NEGATIVE_INFINITY, now, 64)) {
    const a = r.hget(h, `l:${id}`);
    if (a !== null) {
      r.hincrby(h, 'o', -Number(a));
      r.hdel(h, `l:${id}`);
      r.hset(h, { [`x:${id}`]: a });
    }
    r.zrem(z, id);
  }
}

export function counter(r: MemoryRedis, h: string): [settled: number, outstanding: number] {
  const [c, o] = r.hmget(h, 'c', 'o');
  return [Number(c ?? 0), Number(o ?? 0)];
}

export function limit(
  r: MemoryRedis,
  keys: { defaults: string; users: string },
  field: string,
  userField: string | null,
  env: string,
): number {
  const v = (userField !== null ? r.hget(keys.users, userField) : null) ?? r.hget(keys.defaults, field) ?? env;
  return Number(v);
}
