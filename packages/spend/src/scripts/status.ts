import type { StoreScript } from '@tollgate/store';
import { counter, LUA_PRELUDE, limit, reclaim } from './prelude';

/**
 * Reads a user's three windows (after reclaiming expired leases) and the limits that apply.
 *
 * KEYS: 1 user-day, 2 its leases, 3 user-month, 4 its leases, 5 system-month, 6 its leases,
 *       7 limit defaults, 8 per-user limits
 * ARGV: 1 now ms, 2 user id, 3 env user daily µ$, 4 env user monthly µ$ (-1 none), 5 env system monthly µ$
 * Returns {daySettled, dayReserved, monthSettled, monthReserved, systemSettled, systemReserved,
 *          dayLimit, userMonthLimit, systemLimit}
 */
export const statusScript: StoreScript<number[]> = {
  name: 'tgSpendStatus',
  numberOfKeys: 8,
  lua: `${LUA_PRELUDE}
local now = tonumber(ARGV[1])
local dayLim, umLim, sysLim = limits(KEYS[7], KEYS[8], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
reclaim(KEYS[1], KEYS[2], now)
reclaim(KEYS[3], KEYS[4], now)
reclaim(KEYS[5], KEYS[6], now)
local dc, dout = counter(KEYS[1])
local mc, mout = counter(KEYS[3])
local sc, sout = counter(KEYS[5])
return {dc, dout, mc, mout, sc, sout, dayLim, umLim, sysLim}`,
  memory(r, keys, argv) {
    const [uDay, uDayLz, uMonth, uMonthLz, sMonth, sMonthLz, defaults, users] = keys as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const [nowS, uid, envDay, envUm, envSys] = argv as [string, string, string, string, string];
    const now = Number(nowS);
    reclaim(r, uDay, uDayLz, now);
    reclaim(r, uMonth, uMonthLz, now);
    reclaim(r, sMonth, sMonthLz, now);
    const lk = { defaults, users };
    return [
      ...counter(r, uDay),
      ...counter(r, uMonth),
      ...counter(r, sMonth),
      limit(r, lk, 'user_daily', `${uid}:daily`, envDay),
      limit(r, lk, 'user_monthly', `${uid}:monthly`, envUm),
      limit(r, lk, 'system_monthly', null, envSys),
    ];
  },
};
