import { DAY_MS } from '@tollgate/memo';
import type { Store } from '@tollgate/store';
import type { UsageEvent } from './event';
import { quantile } from './histogram';
import { dayOf, dims, minuteOf, usageKeys } from './keys';

/** Totals of one dimension over a period. Money in µ$, latency in ms. */
export interface Totals {
  requests: number;
  errors: number;
  aborted: number;
  estimated: number;
  costMicros: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  latencySumMs: number;
  errorsByClass: Record<string, number>;
  /** Latency histogram: bucket → count. */
  histogram: Map<number, number>;
}

export interface DayTotals extends Totals {
  /** YYYY-MM-DD */
  date: string;
}

function emptyTotals(): Totals {
  return {
    requests: 0,
    errors: 0,
    aborted: 0,
    estimated: 0,
    costMicros: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    latencySumMs: 0,
    errorsByClass: {},
    histogram: new Map(),
  };
}

function addHash(into: Totals, h: Record<string, string>): Totals {
  const n = (k: string) => Number(h[k] ?? 0);
  into.requests += n('req');
  into.errors += n('err');
  into.aborted += n('aborted');
  into.estimated += n('est');
  into.costMicros += n('cost');
  into.promptTokens += n('pt');
  into.completionTokens += n('ct');
  into.cachedTokens += n('cached');
  into.latencySumMs += n('lat');
  for (const [k, v] of Object.entries(h)) {
    if (k.startsWith('e:')) into.errorsByClass[k.slice(2)] = (into.errorsByClass[k.slice(2)] ?? 0) + Number(v);
    if (k.startsWith('h:')) {
      const b = Number(k.slice(2));
      into.histogram.set(b, (into.histogram.get(b) ?? 0) + Number(v));
    }
  }
  return into;
}

export function mergeTotals(parts: readonly Totals[]): Totals {
  const total = emptyTotals();
  for (const p of parts) {
    total.requests += p.requests;
    total.errors += p.errors;
    total.aborted += p.aborted;
    total.estimated += p.estimated;
    total.costMicros += p.costMicros;
    total.promptTokens += p.promptTokens;
    total.completionTokens += p.completionTokens;
    total.cachedTokens += p.cachedTokens;
    total.latencySumMs += p.latencySumMs;
    for (const [k, v] of Object.entries(p.errorsByClass)) total.errorsByClass[k] = (total.errorsByClass[k] ?? 0) + v;
    for (const [b, c] of p.histogram) total.histogram.set(b, (total.histogram.get(b) ?? 0) + c);
  }
  return total;
}

export function percentiles(t: Totals): { p50: number | null; p95: number | null; p99: number | null } {
  return { p50: quantile(t.histogram, 0.5), p95: quantile(t.histogram, 0.95), p99: quantile(t.histogram, 0.99) };
}

export interface RecentFilters {
  userId?: string | undefined;
  provider?: string | undefined;
  model?: string | undefined;
  status?: UsageEvent['status'] | undefined;
  tag?: string | undefined;
  /** Epoch ms, inclusive. */
  from?: number | undefined;
  /** Epoch ms, exclusive. */
  to?: number | undefined;
}

export type IndexName = 'users' | 'models' | 'providers' | 'entries' | 'prompts';

/**
 * Reads over per-day rollups: a query over N days reads N hashes (in parallel), never a scan of
 * requests. "The last N days" are N UTC days ending today.
 */
export function createUsageQueries(options: { store: Store; now?: () => number }) {
  const { store } = options;
  const now = options.now ?? Date.now;

  /** The last `days` UTC days, oldest first, as YYYYMMDD. */
  function daysBack(days: number): string[] {
    const today = Date.UTC(
      new Date(now()).getUTCFullYear(),
      new Date(now()).getUTCMonth(),
      new Date(now()).getUTCDate(),
    );
    return Array.from({ length: days }, (_, i) => dayOf(today - (days - 1 - i) * DAY_MS));
  }

  async function daily(dim: string, days: number): Promise<DayTotals[]> {
    const list = daysBack(days);
    const hashes = await Promise.all(list.map((d) => store.hgetall(usageKeys.rollup(d, dim))));
    return list.map((d, i) => ({
      date: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`,
      ...addHash(emptyTotals(), hashes[i] ?? {}),
    }));
  }

  async function totals(dim: string, days: number): Promise<Totals> {
    return mergeTotals(await daily(dim, days));
  }

  /** Totals of the last `count` minutes including the current one, from the minute rollups (system or provider). */
  async function lastMinutes(dim: string, count: number): Promise<Totals> {
    const current = minuteOf(now());
    const minutes = Array.from({ length: count }, (_, i) => current - i);
    const hashes = await Promise.all(minutes.map((m) => store.hgetall(usageKeys.minute(dayOf(m * 60_000), m, dim))));
    return hashes.reduce((t, h) => addHash(t, h), emptyTotals());
  }

  /**
   * Consecutive failed calls to a provider, up to now. The streak lives in the day rollup, so a
   * streak that began yesterday is yesterday's plus today's when every call today failed.
   */
  async function failureStreak(provider: string): Promise<number> {
    const [yesterday, today] = daysBack(2);
    const h = await store.hgetall(usageKeys.rollup(today as string, dims.provider(provider)));
    const streak = Number(h.streak ?? 0);
    const successes = Number(h.req ?? 0) - Number(h.err ?? 0) - Number(h.aborted ?? 0);
    if (successes > 0) return streak;
    const before = await store.hget(usageKeys.rollup(yesterday as string, dims.provider(provider)), 'streak');
    return streak + Number(before ?? 0);
  }

  /** Members of a dimension over the period, by cost, with their summed µ$. */
  async function top(index: IndexName, days: number, limit: number): Promise<{ member: string; costMicros: number }[]> {
    const perDay = await Promise.all(daysBack(days).map((d) => store.zrevrange(usageKeys.index(d, index), 0, 9_999)));
    const sum = new Map<string, number>();
    for (const day of perDay) for (const [m, s] of day) sum.set(m, (sum.get(m) ?? 0) + Math.round(s));
    return [...sum]
      .map(([member, costMicros]) => ({ member, costMicros }))
      .sort((a, b) => b.costMicros - a.costMicros || a.member.localeCompare(b.member))
      .slice(0, limit);
  }

  /**
   * Recent calls, newest first, from the capped logs (per user when a user is named, so a user's
   * own history is never crowded out by others). `cursor` is an offset into the log.
   */
  async function recent(filters: RecentFilters, cursor: number, limit: number) {
    const key = filters.userId ? usageKeys.recentOfUser(filters.userId) : usageKeys.recent();
    const page = 500;
    const items: UsageEvent[] = [];
    let offset = cursor;
    for (let scanned = 0; items.length < limit && scanned < 20_000; scanned += page) {
      const rows = await store.range(key, offset, offset + page - 1);
      if (rows.length === 0) return { items, nextCursor: null };
      for (const [i, row] of rows.entries()) {
        const e = JSON.parse(row) as UsageEvent;
        const keep =
          (!filters.userId || e.user_id === filters.userId) &&
          (!filters.provider || e.provider === filters.provider) &&
          (!filters.model || e.model === filters.model) &&
          (!filters.status || e.status === filters.status) &&
          (!filters.tag || e.tags.includes(filters.tag)) &&
          (filters.from === undefined || e.at >= filters.from) &&
          (filters.to === undefined || e.at < filters.to);
        if (keep) items.push(e);
        if (items.length >= limit) return { items, nextCursor: offset + i + 1 };
      }
      offset += rows.length;
    }
    return { items, nextCursor: offset };
  }

  return { daysBack, daily, totals, lastMinutes, failureStreak, top, recent, dims };
}

export { dims };
export type UsageQueries = ReturnType<typeof createUsageQueries>;
