import type { StoreScript } from '@tollgate/store';
import { counter, LUA_PRELUDE, limit } from './prelude';

/**
 * Replaces a reservation with the actual cost, exactly once per request id: a second settle
 * (client retry, resend after reconnect) charges nothing. A lease that already expired still
 * gets its actual charge; a request with no lease at all (usage reported from elsewhere) is
 * simply charged. `actual` may exceed the reservation: the truth is recorded.
 *
 * It also returns the windows' figures afterwards, so the call's response can carry the limit
 * status without another round trip.
 *
 * KEYS: 1 user-day, 2 its leases, 3 user-month, 4 its leases, 5 system-month, 6 its leases,
 *       7 done:<rid>, 8 limit defaults, 9 per-user limits
 * ARGV: 1 rid, 2 actual µ$, 3 done-marker TTL s, 4 day expire-at s, 5 month expire-at s,
 *       6 user id, 7 env user daily µ$, 8 env user monthly µ$ (-1 none), 9 env system monthly µ$
 * Returns {settledNow (1 or 0 when settled before), daySettled, dayReserved, monthSettled,
 *          monthReserved, systemSettled, systemReserved, dayLimit, userMonthLimit, systemLimit}
 */
export const settleScript: StoreScript<number[]> = {
  name: 'tgSpendSettle',
  numberOfKeys: 9,
  lua: `${LUA_PRELUDE}
local rid, actual = ARGV[1], tonumber(ARGV[2])
local dayLim, umLim, sysLim = limits(KEYS[8], KEYS[9], ARGV[6], ARGV[7], ARGV[8], ARGV[9])
if not redis.call('SET', KEYS[7], ARGV[2], 'NX', 'EX', ARGV[3]) then
  local dc, dout = counter(KEYS[1])
  local mc, mout = counter(KEYS[3])
  local sc, sout = counter(KEYS[5])
  return {0, dc, dout, mc, mout, sc, sout, dayLim, umLim, sysLim}
end
-- One counter: the lease (or the record of an expired one) gives way to the actual charge.
-- Returns the counter's settled and outstanding µ$ afterwards.
local function charge(h, z, expireAt)
  local v = redis.call('HMGET', h, 'l:' .. rid, 'c', 'o')
  local c, o = tonumber(v[2]) or 0, tonumber(v[3]) or 0
  if v[1] then
    o = o - tonumber(v[1])
    redis.call('HDEL', h, 'l:' .. rid)
    redis.call('ZREM', z, rid)
  else
    redis.call('HDEL', h, 'x:' .. rid)
  end
  if actual > 0 then c = c + actual end
  -- With a lease the counter existed (the reserve wrote both) and keeps its expiry.
  if v[1] and actual > 0 then
    redis.call('HSET', h, 'c', int(c), 'o', int(o))
  elseif v[1] then
    redis.call('HSET', h, 'o', int(o))
  elseif actual > 0 then
    redis.call('HSET', h, 'c', int(c))
    redis.call('EXPIREAT', h, expireAt)
  elseif redis.call('EXISTS', h) == 1 then
    redis.call('EXPIREAT', h, expireAt)
  end
  return c, o
end
local dc, dout = charge(KEYS[1], KEYS[2], ARGV[4])
local mc, mout = charge(KEYS[3], KEYS[4], ARGV[5])
local sc, sout = charge(KEYS[5], KEYS[6], ARGV[5])
return {1, dc, dout, mc, mout, sc, sout, dayLim, umLim, sysLim}`,
  memory(r, keys, argv) {
    const [uDay, uDayLz, uMonth, uMonthLz, sMonth, sMonthLz, done, defaults, users] = keys as string[] as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const [rid, actualS, doneTtl, dayExp, monthExp, uid, envDay, envUm, envSys] = argv as string[] as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const lk = { defaults, users };
    const figures = (settled: number) => [
      settled,
      ...counter(r, uDay),
      ...counter(r, uMonth),
      ...counter(r, sMonth),
      limit(r, lk, 'user_daily', `${uid}:daily`, envDay),
      limit(r, lk, 'user_monthly', `${uid}:monthly`, envUm),
      limit(r, lk, 'system_monthly', null, envSys),
    ];
    if (!r.set(done, actualS, { px: Number(doneTtl) * 1000, nx: true })) return figures(0);
    const actual = Number(actualS);
    for (const [h, z, exp] of [
      [uDay, uDayLz, dayExp],
      [uMonth, uMonthLz, monthExp],
      [sMonth, sMonthLz, monthExp],
    ] as const) {
      const a = r.hget(h, `l:${rid}`);
      if (a !== null) {
        r.hincrby(h, 'o', -Number(a));
        r.hdel(h, `l:${rid}`);
        r.zrem(z, rid);
      } else {
        r.hdel(h, `x:${rid}`);
      }
      if (actual > 0) r.hincrby(h, 'c', actual);
      if (r.exists(h)) r.expireat(h, Number(exp));
    }
    return figures(1);
  },
};
