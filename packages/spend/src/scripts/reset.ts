import type { StoreScript } from '@tollgate/store';

/**
 * Zeroes the spend counted against a user's current day and month (live reservations are left
 * to settle) and appends an audit record with the previous values, atomically. The system-wide
 * counter is untouched: that money was really spent.
 *
 * KEYS: 1 user-day, 2 user-month, 3 audit list
 * ARGV: 1 audit record JSON (without previous values), 2 audit cap, 3 day expire-at s, 4 month expire-at s
 * Returns {previousDaySettled, previousMonthSettled}
 */
export const resetScript: StoreScript<number[]> = {
  name: 'tgSpendReset',
  numberOfKeys: 3,
  lua: `
local pd = tonumber(redis.call('HGET', KEYS[1], 'c') or '0')
local pm = tonumber(redis.call('HGET', KEYS[2], 'c') or '0')
redis.call('HSET', KEYS[1], 'c', 0)
redis.call('EXPIREAT', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[2], 'c', 0)
redis.call('EXPIREAT', KEYS[2], ARGV[4])
local record = cjson.decode(ARGV[1])
record['previous_daily_micros'] = pd
record['previous_monthly_micros'] = pm
redis.call('LPUSH', KEYS[3], cjson.encode(record))
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[2]) - 1)
return {pd, pm}`,
  memory(r, keys, argv) {
    const [uDay, uMonth, audit] = keys as [string, string, string];
    const [recordJson, cap, dayExp, monthExp] = argv as [string, string, string, string];
    const pd = Number(r.hget(uDay, 'c') ?? 0);
    const pm = Number(r.hget(uMonth, 'c') ?? 0);
    r.hset(uDay, { c: 0 });
    r.expireat(uDay, Number(dayExp));
    r.hset(uMonth, { c: 0 });
    r.expireat(uMonth, Number(monthExp));
    const record = { ...(JSON.parse(recordJson) as object), previous_daily_micros: pd, previous_monthly_micros: pm };
    r.lpush(audit, JSON.stringify(record));
    r.ltrim(audit, 0, Number(cap) - 1);
    return [pd, pm];
  },
};
