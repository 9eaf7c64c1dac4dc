import type { StoreScript } from '@tollgate/store';

/**
 * Replaces a reservation with the actual cost, exactly once per request id: a second settle
 * (client retry, resend after reconnect) charges nothing. A lease that already expired still
 * gets its actual charge; a request with no lease at all (usage reported from elsewhere) is
 * simply charged. `actual` may exceed the reservation: the truth is recorded.
 *
 * KEYS: 1 user-day, 2 its leases, 3 user-month, 4 its leases, 5 system-month, 6 its leases, 7 done:<rid>
 * ARGV: 1 rid, 2 actual µ$, 3 done-marker TTL s, 4 day expire-at s, 5 month expire-at s
 * Returns 1 when settled now, 0 when it had been settled before.
 */
export const settleScript: StoreScript<number> = {
  name: 'tgSpendSettle',
  numberOfKeys: 7,
  lua: `
local rid, actual = ARGV[1], tonumber(ARGV[2])
if not redis.call('SET', KEYS[7], ARGV[2], 'NX', 'EX', ARGV[3]) then return 0 end
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
return 1`,
  memory(r, keys, argv) {
    const [uDay, uDayLz, uMonth, uMonthLz, sMonth, sMonthLz, done] = keys as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const [rid, actualS, doneTtl, dayExp, monthExp] = argv as [string, string, string, string, string];
    if (!r.set(done, actualS, { px: Number(doneTtl) * 1000, nx: true })) return 0;
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
    return 1;
  },
};
