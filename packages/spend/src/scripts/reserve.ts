import type { StoreScript } from '@tollgate/store';
import { counter, LUA_PRELUDE, limit, reclaim } from './prelude';

/**
 * Checks the user's day, the user's month and the system's month against settled + reserved
 * spend and reserves as much of [min, max] µ$ as every window affords, in one atomic step.
 * Nothing is written when the call is denied.
 *
 * KEYS: 1 user-day, 2 its leases, 3 user-month, 4 its leases, 5 system-month, 6 its leases,
 *       7 done:<rid>, 8 limit defaults, 9 per-user limits
 * ARGV: 1 rid, 2 min µ$, 3 max µ$, 4 now ms, 5 lease expiry ms, 6 day expire-at s,
 *       7 month expire-at s, 8 env user daily µ$, 9 env user monthly µ$ (-1 none),
 *       10 env system monthly µ$, 11 user id
 * Returns {status, amount, reason, dayUsed, userMonthUsed, systemUsed, dayLimit, userMonthLimit, systemLimit}
 *   status: 1 admitted, 0 denied, 2 this rid already holds a lease, 3 this rid was already settled
 *   reason: 0 none, 1 user_daily, 2 user_monthly, 3 system_monthly (the first window that cannot fit min)
 */
export const reserveScript: StoreScript<number[]> = {
  name: 'tgSpendReserve',
  numberOfKeys: 9,
  lua: `${LUA_PRELUDE}
local rid, minA, maxA = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local now, leaseExp = tonumber(ARGV[4]), tonumber(ARGV[5])
local dayLim, umLim, sysLim = limits(KEYS[8], KEYS[9], ARGV[11], ARGV[8], ARGV[9], ARGV[10])
if redis.call('EXISTS', KEYS[7]) == 1 then return {3, 0, 0, 0, 0, 0, dayLim, umLim, sysLim} end
-- This request's lease on the day and the day's figures, read together.
local day = redis.call('HMGET', KEYS[1], 'l:' .. rid, 'c', 'o')
if day[1] then return {2, tonumber(day[1]), 0, 0, 0, 0, dayLim, umLim, sysLim} end
local dc, dout, dayExists = tonumber(day[2]) or 0, tonumber(day[3]) or 0, day[2] or day[3]
local mc, mout, monthExists = counter(KEYS[3])
local sc, sout, systemExists = counter(KEYS[5])
local amount, reason
local function weigh()
  amount, reason = maxA, 0
  local function fit(used, lim, code)
    if lim < 0 then return end
    local room = lim - used
    if room < amount then amount = room end
    if reason == 0 and (room <= 0 or room < minA) then reason = code end
  end
  fit(dc + dout, dayLim, 1)
  fit(mc + mout, umLim, 2)
  fit(sc + sout, sysLim, 3)
end
weigh()
-- Expired leases (an instance that died mid-call) are freed only when they could make a
-- difference: a call that fits in full with them counted fits in full without them.
if reason ~= 0 or amount < maxA then
  dout = dout - reclaim(KEYS[1], KEYS[2], now)
  mout = mout - reclaim(KEYS[3], KEYS[4], now)
  sout = sout - reclaim(KEYS[5], KEYS[6], now)
  weigh()
end
local d, um, s = dc + dout, mc + mout, sc + sout
if reason ~= 0 then return {0, 0, reason, d, um, s, dayLim, umLim, sysLim} end
local lease = int(amount)
local function hold(h, z, outstanding, expireAt, exists)
  redis.call('HSET', h, 'o', int(outstanding + amount), 'l:' .. rid, lease)
  redis.call('ZADD', z, leaseExp, rid)
  if not exists then redis.call('EXPIREAT', h, expireAt) end
  -- The lease index vanishes with its last lease, so it may be new here; while the counter has
  -- leases outstanding, the index holds them and has the expiry its first lease gave it.
  if outstanding <= 0 then redis.call('EXPIREAT', z, expireAt) end
end
hold(KEYS[1], KEYS[2], dout, ARGV[6], dayExists)
hold(KEYS[3], KEYS[4], mout, ARGV[7], monthExists)
hold(KEYS[5], KEYS[6], sout, ARGV[7], systemExists)
return {1, amount, 0, d + amount, um + amount, s + amount, dayLim, umLim, sysLim}`,
  memory(r, keys, argv) {
    const [uDay, uDayLz, uMonth, uMonthLz, sMonth, sMonthLz, done, defaults, users] = keys as [
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
    const [rid, minS, maxS, nowS, leaseS, dayExp, monthExp, envDay, envUm, envSys, uid] = argv as [
      string,
      string,
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
    const dayLim = limit(r, lk, 'user_daily', `${uid}:daily`, envDay);
    const umLim = limit(r, lk, 'user_monthly', `${uid}:monthly`, envUm);
    const sysLim = limit(r, lk, 'system_monthly', null, envSys);
    if (r.exists(done)) return [3, 0, 0, 0, 0, 0, dayLim, umLim, sysLim];
    const held = r.hget(uDay, `l:${rid}`);
    if (held !== null) return [2, Number(held), 0, 0, 0, 0, dayLim, umLim, sysLim];
    const now = Number(nowS);
    const sum = (h: string) => counter(r, h).reduce((a, b) => a + b, 0);
    const minA = Number(minS);
    let amount = Number(maxS);
    let reason = 0;
    let d = 0;
    let um = 0;
    let s = 0;
    const weigh = () => {
      d = sum(uDay);
      um = sum(uMonth);
      s = sum(sMonth);
      amount = Number(maxS);
      reason = 0;
      const fit = (used: number, lim: number, code: number) => {
        if (lim < 0) return;
        const room = lim - used;
        if (room < amount) amount = room;
        if (reason === 0 && (room <= 0 || room < minA)) reason = code;
      };
      fit(d, dayLim, 1);
      fit(um, umLim, 2);
      fit(s, sysLim, 3);
    };
    weigh();
    if (reason !== 0 || amount < Number(maxS)) {
      reclaim(r, uDay, uDayLz, now);
      reclaim(r, uMonth, uMonthLz, now);
      reclaim(r, sMonth, sMonthLz, now);
      weigh();
    }
    if (reason !== 0) return [0, 0, reason, d, um, s, dayLim, umLim, sysLim];
    for (const [h, z, exp] of [
      [uDay, uDayLz, dayExp],
      [uMonth, uMonthLz, monthExp],
      [sMonth, sMonthLz, monthExp],
    ] as const) {
      r.hincrby(h, 'o', amount);
      r.hset(h, { [`l:${rid}`]: amount });
      r.zadd(z, Number(leaseS), rid);
      r.expireat(h, Number(exp));
      r.expireat(z, Number(exp));
    }
    return [1, amount, 0, d + amount, um + amount, s + amount, dayLim, umLim, sysLim];
  },
};
