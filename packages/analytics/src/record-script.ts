import type { StoreScript } from '@tollgate/store';

/**
 * Adds one event to the day's rollups (system, user, provider, model, entry point and, when
 * set, prompt version) and to the day's indexes, in one atomic step.
 *
 * KEYS: 1..N rollup hashes, then 4 index ZSETs (users, models, providers, entries) and, when
 *       the event has a prompt, a 5th (prompts)
 * ARGV: 1 rollup count N, 2 expire-at s, 3 cost µ$, 4 prompt tokens, 5 completion tokens,
 *       6 cached tokens, 7 is error (0/1), 8 error class ('' none), 9 latency ms, 10 latency
 *       bucket, 11 estimated (0/1), 12 aborted (0/1), 13 user id, 14 provider/model,
 *       15 provider, 16 entry point, 17 prompt@version ('' none)
 */
export const recordScript: StoreScript<number> = {
  name: 'tgUsageRecord',
  numberOfKeys: -1,
  lua: `
local n = tonumber(ARGV[1])
local cost = tonumber(ARGV[3])
for i = 1, n do
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
  redis.call('EXPIREAT', h, ARGV[2])
end
local members = {ARGV[13], ARGV[14], ARGV[15], ARGV[16], ARGV[17]}
for j = 1, #KEYS - n do
  local z = KEYS[n + j]
  redis.call('ZINCRBY', z, cost, members[j])
  redis.call('EXPIREAT', z, ARGV[2])
end
return 1`,
  memory(r, keys, argv) {
    const n = Number(argv[0]);
    const [, expireAt, costS, pt, ct, cached, isErr, errClass, lat, bucket, est, aborted] = argv as string[];
    const cost = Number(costS);
    for (const h of keys.slice(0, n)) {
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
      r.expireat(h, Number(expireAt));
    }
    const members = argv.slice(12, 17);
    keys.slice(n).forEach((z, j) => {
      const member = members[j] as string;
      r.zadd(z, (r.zscore(z, member) ?? 0) + cost, member);
      r.expireat(z, Number(expireAt));
    });
    return 1;
  },
};
