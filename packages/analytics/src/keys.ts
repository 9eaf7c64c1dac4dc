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

const DAY_MS = 86_400_000;
// The day last asked about: nearly every event of a batch falls in the same UTC day.
let lastDay = { from: 0, to: 0, day: '' };

/** The UTC day of `ms`, `YYYYMMDD`. */
export function dayOf(ms: number): string {
  if (ms >= lastDay.from && ms < lastDay.to) return lastDay.day;
  const from = Math.floor(ms / DAY_MS) * DAY_MS;
  const day = new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
  lastDay = { from, to: from + DAY_MS, day };
  return day;
}
