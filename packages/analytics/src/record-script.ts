import type { StoreScript } from '@tollgate/store';

/**
 * Adds one event to the day's rollups (system, user, provider, model, entry point and, when
 * set, prompt version) and to the day's indexes, in one atomic step.
 *
 * KEYS: 1..N day rollup hashes, N+1..N+M minute rollup hashes, then 4 index ZSETs (users,
 *       models, providers, entries) and, when the event has a prompt, a 5th (prompts)
 * ARGV: 1 rollup count N, 2 expire-at s, 3 cost µ$, 4 prompt tokens, 5 completion tokens,
 *       6 cached tokens, 7 is error (0/1), 8 error class ('' none), 9 latency ms, 10 latency
 *       bucket, 11 estimated (0/1), 12 aborted (0/1), 13 user id, 14 provider/model,
 *       15 provider, 16 entry point, 17 prompt@version ('' none), 18 minute rollup count M,
 *       19 minute expire-at s, 20 position (1..N) of the provider's day rollup, whose `streak`
 *       counts consecutive failures (an error adds one, a success clears it, an abort neither)
 */
export const recordScript: StoreScript<number> = {
  name: 'tgUsageRecord',
  numberOfKeys: -1,
  lua: `
local n = tonumber(ARGV[1])
local m = tonumber(ARGV[18])
local cost = tonumber(ARGV[3])
for i = 1, n + m do
  local h = KEYS[i]
  redis.call('HINCRBY', h, 'req', 1)
  redis.call('HINCRBY', h, 'cost', cost)
  redis.call('HINCRBY', h, 'pt', ARGV[4])
  redis.call('HINCRBY', h, 'ct', ARGV[5])
  redis.call('HINCRBY', h, 'cached', ARGV[6])
  redis.call('HINCRBY', h, 'lat', ARGV[9])
  redis.call('HINCRBY', h, 'h:' .. ARGV[10], 1)
  if ARGV[7] == '1' then
    redis.call('HINCRBY', h, 'err', 1)
    redis.call('HINCRBY', h, 'e:' .. ARGV[8], 1)
  end
  if ARGV[11] == '1' then redis.call('HINCRBY', h, 'est', 1) end
  if ARGV[12] == '1' then redis.call('HINCRBY', h, 'aborted', 1) end
  redis.call('EXPIREAT', h, i <= n and ARGV[2] or ARGV[19])
end
local ph = KEYS[tonumber(ARGV[20])]
if ARGV[7] == '1' then
  redis.call('HINCRBY', ph, 'streak', 1)
elseif ARGV[12] ~= '1' then
  redis.call('HSET', ph, 'streak', 0)
end
local members = {ARGV[13], ARGV[14], ARGV[15], ARGV[16], ARGV[17]}
for j = 1, #KEYS - n - m do
  local z = KEYS[n + m + j]
  redis.call('ZINCRBY', z, cost, members[j])
  redis.call('EXPIREAT', z, ARGV[2])
end
return 1`,
  memory(r, keys, argv) {
    const n = Number(argv[0]);
    const m = Number(argv[17]);
    const [, expireAt, costS, pt, ct, cached, isErr, errClass, lat, bucket, est, aborted] = argv as string[];
    const cost = Number(costS);
    keys.slice(0, n + m).forEach((h, i) => {
      r.hincrby(h, 'req', 1);
      r.hincrby(h, 'cost', cost);
      r.hincrby(h, 'pt', Number(pt));
      r.hincrby(h, 'ct', Number(ct));
      r.hincrby(h, 'cached', Number(cached));
      r.hincrby(h, 'lat', Number(lat));
      r.hincrby(h, `h:${bucket}`, 1);
      if (isErr === '1') {
        r.hincrby(h, 'err', 1);
        r.hincrby(h, `e:${errClass}`, 1);
      }
      if (est === '1') r.hincrby(h, 'est', 1);
      if (aborted === '1') r.hincrby(h, 'aborted', 1);
      r.expireat(h, Number(i < n ? expireAt : argv[18]));
    });
    const ph = keys[Number(argv[19]) - 1] as string;
    if (isErr === '1') r.hincrby(ph, 'streak', 1);
    else if (aborted !== '1') r.hset(ph, { streak: 0 });
    const members = argv.slice(12, 17);
    keys.slice(n + m).forEach((z, j) => {
      const member = members[j] as string;
      r.zadd(z, (r.zscore(z, member) ?? 0) + cost, member);
      r.expireat(z, Number(expireAt));
    });
    return 1;
  },
};

/**
 * Pushes an event onto the system-wide and the user's recent logs, each capped, in one round
 * trip (both keys carry the `{usage}` hash tag).
 *
 * KEYS: 1 system log, 2 user log. ARGV: 1 event JSON, 2 system cap, 3 user cap.
 */
export const recentScript: StoreScript<number> = {
  name: 'tgUsageRecent',
  numberOfKeys: 2,
  lua: `
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
redis.call('LPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
return 1`,
  memory(r, keys, argv) {
    const [system, user] = keys as [string, string];
    const [json, cap, userCap] = argv as [string, string, string];
    r.lpush(system, json);
    r.ltrim(system, 0, Number(cap) - 1);
    r.lpush(user, json);
    r.ltrim(user, 0, Number(userCap) - 1);
    return 1;
  },
};
