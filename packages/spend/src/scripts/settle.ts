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
local rid, actual, uid = ARGV[1], tonumber(ARGV[2]), ARGV[6]
local function figures(settled)
  local dc, dout = counter(KEYS[1])
  local mc, mout = counter(KEYS[3])
  local sc, sout = counter(KEYS[5])
  return {settled, dc, dout, mc, mout, sc, sout,
    limit(KEYS[8], KEYS[9], 'user_daily', uid .. ':daily', ARGV[7]),
    limit(KEYS[8], KEYS[9], 'user_monthly', uid .. ':monthly', ARGV[8]),
    limit(KEYS[8], KEYS[9], 'system_monthly', false, ARGV[9])}
end
if not redis.call('SET', KEYS[7], ARGV[2], 'NX', 'EX', ARGV[3]) then return figures(0) end
for _, p in ipairs({{KEYS[1], KEYS[2], ARGV[4]}, {KEYS[3], KEYS[4], ARGV[5]}, {KEYS[5], KEYS[6], ARGV[5]}}) do
  local a = redis.call('HGET', p[1], 'l:' .. rid)
  if a then
    redis.call('HINCRBY', p[1], 'o', -tonumber(a))
    redis.call('HDEL', p[1], 'l:' .. rid)
    redis.call('ZREM', p[2], rid)
  else
    redis.call('HDEL', p[1], 'x:' .. rid)
  end
  if actual > 0 then redis.call('HINCRBY', p[1], 'c', actual) end
  if redis.call('EXISTS', p[1]) == 1 then redis.call('EXPIREAT', p[1], p[3]) end
end
return figures(1)`,
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
