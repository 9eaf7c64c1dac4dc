import { BoundedMemo } from '@tollgate/memo';
import { taggedKey } from '@tollgate/store';

/**
 * Every spend key shares the `{spend}` hash tag, so each script's keys sit in one Redis Cluster
 * slot and one script can check the user's and the system's windows atomically.
 */
const TAG = 'spend';

export const spendKeys = {
  userDay: (userId: string, day: string) => taggedKey(TAG, 'u', userId, 'd', day),
  userMonth: (userId: string, month: string) => taggedKey(TAG, 'u', userId, 'm', month),
  systemMonth: (month: string) => taggedKey(TAG, 's', 'm', month),
  /** Lease expiry index (ZSET rid → expiry ms) of a counter. */
  leases: (counterKey: string) => `${counterKey}:lz`,
  /** Settle marker: exists once a request id has been settled. */
  done: (requestId: string) => taggedKey(TAG, 'done', requestId),
  limitDefaults: () => taggedKey(TAG, 'limits', 'defaults'),
  limitUsers: () => taggedKey(TAG, 'limits', 'users'),
  resetAudit: () => taggedKey(TAG, 'audit', 'resets'),
};

/** The six counter keys (hash + lease index for user-day, user-month, system-month) of a user and window. */
export function counterKeys(userId: string, day: string, month: string): string[] {
  const uDay = spendKeys.userDay(userId, day);
  const uMonth = spendKeys.userMonth(userId, month);
  const sMonth = spendKeys.systemMonth(month);
  return [uDay, spendKeys.leases(uDay), uMonth, spendKeys.leases(uMonth), sMonth, spendKeys.leases(sMonth)];
}

/**
 * `counterKeys` remembered per user and window: a user's calls in one day share them, and every
 * call needs them twice (reserve, settle). Bounded; cleared when full.
 */
export function createCounterKeyCache(max = 10_000) {
  // Read-only by type, not frozen: V8 copies a frozen array on its slow path (`slice` ~9× slower),
  // and every reserve and settle copies these.
  const cache = new BoundedMemo<readonly string[]>(max);
  return {
    of: (userId: string, day: string, month: string): readonly string[] =>
      cache.get(`${day}\u0000${month}\u0000${userId}`, () => counterKeys(userId, day, month)),
  };
}
