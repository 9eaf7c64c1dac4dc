import type { Store } from '@tollgate/store';
import { spendKeys } from './keys';
import type { DefaultLimits } from './ledger';

/** Effective default limits in µ$, and where each came from. */
export interface EffectiveDefaults {
  userDailyMicros: number;
  /** null: no per-user monthly limit. */
  userMonthlyMicros: number | null;
  systemMonthlyMicros: number;
  /** Which values an admin changed at run time (the rest come from configuration). */
  overridden: { userDaily: boolean; userMonthly: boolean; systemMonthly: boolean };
}

export interface UserLimitOverride {
  userId: string;
  /** µ$; undefined = inherit the default. */
  dailyMicros?: number;
  /** µ$; -1 = no monthly limit for this user; undefined = inherit the default. */
  monthlyMicros?: number;
}

/** A change: a number sets, null removes (back to the inherited value), undefined leaves as is. */
export type LimitChange = number | null | undefined;

const int = (v: string | undefined) => (v === undefined ? undefined : Number(v));

/**
 * Admin-editable limits, kept in the store and read by the reserve script itself, so a change
 * applies to the very next request on every instance.
 */
export function createLimitSettings(store: Store, config: DefaultLimits) {
  async function defaults(): Promise<EffectiveDefaults> {
    const h = await store.hgetall(spendKeys.limitDefaults());
    const um = int(h.user_monthly);
    return {
      userDailyMicros: int(h.user_daily) ?? config.userDailyMicros,
      userMonthlyMicros: um === undefined ? config.userMonthlyMicros : um < 0 ? null : um,
      systemMonthlyMicros: int(h.system_monthly) ?? config.systemMonthlyMicros,
      overridden: {
        userDaily: h.user_daily !== undefined,
        userMonthly: h.user_monthly !== undefined,
        systemMonthly: h.system_monthly !== undefined,
      },
    };
  }

  async function apply(key: string, changes: Record<string, LimitChange>): Promise<void> {
    const set: Record<string, number> = {};
    const remove: string[] = [];
    for (const [field, value] of Object.entries(changes)) {
      if (value === null) remove.push(field);
      else if (value !== undefined) set[field] = Math.round(value);
    }
    if (Object.keys(set).length > 0) await store.hset(key, set);
    if (remove.length > 0) await store.hdel(key, remove);
  }

  async function user(userId: string): Promise<UserLimitOverride> {
    const [d, m] = await Promise.all([
      store.hget(spendKeys.limitUsers(), `${userId}:daily`),
      store.hget(spendKeys.limitUsers(), `${userId}:monthly`),
    ]);
    return { userId, ...(d !== null && { dailyMicros: Number(d) }), ...(m !== null && { monthlyMicros: Number(m) }) };
  }

  return {
    defaults,
    /** `userMonthly: -1` sets "no per-user monthly limit" explicitly. */
    setDefaults: async (c: { userDaily?: LimitChange; userMonthly?: LimitChange; systemMonthly?: LimitChange }) => {
      await apply(spendKeys.limitDefaults(), {
        user_daily: c.userDaily,
        user_monthly: c.userMonthly,
        system_monthly: c.systemMonthly,
      });
      return defaults();
    },
    async users(): Promise<UserLimitOverride[]> {
      const h = await store.hgetall(spendKeys.limitUsers());
      const byUser = new Map<string, UserLimitOverride>();
      for (const [field, value] of Object.entries(h)) {
        const cut = field.lastIndexOf(':');
        const userId = field.slice(0, cut);
        const entry = byUser.get(userId) ?? { userId };
        if (field.endsWith(':daily')) entry.dailyMicros = Number(value);
        if (field.endsWith(':monthly')) entry.monthlyMicros = Number(value);
        byUser.set(userId, entry);
      }
      return [...byUser.values()].sort((a, b) => a.userId.localeCompare(b.userId));
    },
    user,
    async setUser(userId: string, c: { daily?: LimitChange; monthly?: LimitChange }): Promise<UserLimitOverride> {
      await apply(spendKeys.limitUsers(), { [`${userId}:daily`]: c.daily, [`${userId}:monthly`]: c.monthly });
      return user(userId);
    },
  };
}

export type LimitSettings = ReturnType<typeof createLimitSettings>;
