import { perUtcDay } from '@tollgate/memo';
import { taggedKey } from '@tollgate/store';

/**
 * Rollup keys of one UTC day share the hash tag `{usage:<day>}`: one script writes all of an
 * event's rollups atomically, and different days spread over a cluster.
 */
export const usageKeys = {
  rollup: (day: string, dim: string) => taggedKey(`usage:${day}`, 'r', dim),
  /** ZSET of the day's members of a dimension (users, models, providers, entries), scored by cost. */
  index: (day: string, dim: 'users' | 'models' | 'providers' | 'entries' | 'prompts') =>
    taggedKey(`usage:${day}`, 'i', dim),
  /** Per-minute rollup (system and per provider, kept a few hours) for alert windows. */
  minute: (day: string, minute: number, dim: string) => taggedKey(`usage:${day}`, 'min', minute, dim),
  recent: () => taggedKey('usage', 'recent'),
  recentOfUser: (userId: string) => taggedKey('usage', 'recent', 'u', userId),
};

export const dims = {
  system: 'sys',
  user: (id: string) => `u:${id}`,
  provider: (id: string) => `p:${id}`,
  model: (provider: string, model: string) => `m:${provider}/${model}`,
  entry: (id: string) => `e:${id}`,
  prompt: (name: string, version: string) => `t:${name}@${version}`,
};

/** Minutes since the epoch. */
export function minuteOf(ms: number): number {
  return Math.floor(ms / 60_000);
}

/** The UTC day of `ms`, `YYYYMMDD` (worked out once a day: nearly every event of a batch falls in the same one). */
export const dayOf = perUtcDay((ms: number): string => new Date(ms).toISOString().slice(0, 10).replaceAll('-', ''));
