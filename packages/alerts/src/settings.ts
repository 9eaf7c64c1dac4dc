import { type Store, taggedKey } from '@tollgate/store';
import { type AlertRuleId, type AlertThresholds, DEFAULT_THRESHOLDS } from './rules';

const key = taggedKey('alerts', 'rules');

/** Rule thresholds: configured defaults, with admins' run-time changes kept in the store. */
export function createAlertSettings(store: Store, configured: AlertThresholds = DEFAULT_THRESHOLDS) {
  return {
    async thresholds(): Promise<AlertThresholds> {
      const saved = await store.hgetall(key);
      const merged = structuredClone(configured) as unknown as Record<string, Record<string, unknown>>;
      for (const [rule, json] of Object.entries(saved)) {
        if (merged[rule]) Object.assign(merged[rule], JSON.parse(json) as Record<string, unknown>);
      }
      return merged as unknown as AlertThresholds;
    },
    /** Changes some parameters of one rule; the rest keep their current values. */
    async update<R extends AlertRuleId>(rule: R, change: Partial<AlertThresholds[R]>): Promise<AlertThresholds> {
      const saved = await store.hget(key, rule);
      const next = { ...(saved ? (JSON.parse(saved) as object) : {}), ...change };
      await store.hset(key, { [rule]: JSON.stringify(next) });
      return this.thresholds();
    },
    /** Back to the configured values. */
    async reset(rule: AlertRuleId): Promise<AlertThresholds> {
      await store.hdel(key, [rule]);
      return this.thresholds();
    },
  };
}

export type AlertSettings = ReturnType<typeof createAlertSettings>;
