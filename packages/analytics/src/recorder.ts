import type { ScriptArg, ScriptCall, Store } from '@tollgate/store';
import type { UsageEvent } from './event';
import { bucketOf } from './histogram';
import { dayOf, dims, minuteOf, usageKeys } from './keys';
import { applyRollupsArgs, applyRollupsScript, type RollupDelta, recentScript } from './record-script';

export interface UsageRecorderOptions {
  store: Store;
  /** Days a day's rollups are kept. */
  retentionDays?: number;
  /** Recent events kept for drill-down, system-wide and per user. */
  recentCap?: number;
  userRecentCap?: number;
  /** How long submitted events wait to be written together, and how many at most. */
  batchDelayMs?: number;
  batchMax?: number;
  /** Told about failures; recording never fails a request. */
  onError?: (error: unknown) => void;
}

const DAY_S = 86_400;
/** Minute rollups serve alert windows; a few hours is plenty. */
export const MINUTE_RETENTION_S = 3 * 3_600;

const dayStartSec = (day: string) =>
  Date.parse(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T00:00:00Z`) / 1000;

/** Writes calls into the day's rollups and the capped recent logs, a batch at a time. */
export function createUsageRecorder(options: UsageRecorderOptions) {
  const { store } = options;
  const retention = options.retentionDays ?? 400;
  const recentCap = options.recentCap ?? 10_000;
  const userRecentCap = options.userRecentCap ?? 500;
  const batchDelayMs = options.batchDelayMs ?? 5;
  const batchMax = options.batchMax ?? 100;

  /** Adds one event (of UTC day `day`) to a batch's summed increments: rollups and indexes. */
  function addTo(delta: RollupDelta, event: UsageEvent, day: string): void {
    const prompt = event.prompt_name ? `${event.prompt_name}@${event.prompt_version ?? 'latest'}` : '';
    const dayExpireAt = dayStartSec(day) + (retention + 1) * DAY_S;
    const minute = minuteOf(event.at);
    const minuteExpireAt = minute * 60 + 60 + MINUTE_RETENTION_S;
    const latency = Math.max(0, Math.round(event.latency_ms));
    const failed = event.status === 'error';
    const aborted = event.status === 'aborted';
    const bump = (key: string, expireAt: number) => {
      let h = delta.hashes.get(key);
      if (!h) {
        h = { expireAt, fields: new Map() };
        delta.hashes.set(key, h);
      }
      const inc = (f: string, v: number) => h.fields.set(f, (h.fields.get(f) ?? 0) + v);
      inc('req', 1);
      inc('cost', event.cost_micros);
      inc('pt', event.prompt_tokens);
      inc('ct', event.completion_tokens);
      inc('cached', event.cached_tokens);
      inc('lat', latency);
      inc(`h:${bucketOf(event.latency_ms)}`, 1);
      // Client aborts are counted apart: they are not failures of the gateway or the provider.
      if (failed) {
        inc('err', 1);
        inc(`e:${event.error_class ?? ''}`, 1);
      }
      if (event.estimated) inc('est', 1);
      if (aborted) inc('aborted', 1);
      return h.fields;
    };
    bump(usageKeys.rollup(day, dims.system), dayExpireAt);
    bump(usageKeys.rollup(day, dims.user(event.user_id)), dayExpireAt);
    const provider = bump(usageKeys.rollup(day, dims.provider(event.provider)), dayExpireAt);
    bump(usageKeys.rollup(day, dims.model(event.provider, event.model)), dayExpireAt);
    bump(usageKeys.rollup(day, dims.entry(event.entry_point)), dayExpireAt);
    if (prompt) bump(usageKeys.rollup(day, `t:${prompt}`), dayExpireAt);
    bump(usageKeys.minute(day, minute, dims.system), minuteExpireAt);
    bump(usageKeys.minute(day, minute, dims.provider(event.provider)), minuteExpireAt);
    // The provider's `streak` counts consecutive failures: an error adds one, a success starts it
    // again from zero (`=streak` sets), an abort does neither. Events are added in order.
    if (failed) {
      if (provider.has('=streak')) provider.set('=streak', (provider.get('=streak') ?? 0) + 1);
      else provider.set('streak', (provider.get('streak') ?? 0) + 1);
    } else if (!aborted) {
      provider.delete('streak');
      provider.set('=streak', 0);
    }
    const rank = (dim: 'users' | 'models' | 'providers' | 'entries' | 'prompts', member: string) => {
      const key = usageKeys.index(day, dim);
      let z = delta.zsets.get(key);
      if (!z) {
        z = { expireAt: dayExpireAt, members: new Map() };
        delta.zsets.set(key, z);
      }
      z.members.set(member, (z.members.get(member) ?? 0) + event.cost_micros);
    };
    rank('users', event.user_id);
    rank('models', `${event.provider}/${event.model}`);
    rank('providers', event.provider);
    rank('entries', event.entry_point);
    if (prompt) rank('prompts', prompt);
  }

  /** The script calls that record a batch: one per day touched, and one for the recent logs. */
  function callsOf(events: readonly UsageEvent[]): ScriptCall[] {
    // Rollups of one day share a hash tag, so each day is one atomic script even on a cluster.
    const byDay = new Map<string, RollupDelta>();
    const logs = new Map<string, { cap: number; values: string[] }>();
    const log = (key: string, cap: number, json: string) => {
      const l = logs.get(key) ?? { cap, values: [] };
      l.values.push(json);
      logs.set(key, l);
    };
    for (const event of events) {
      const day = dayOf(event.at);
      let delta = byDay.get(day);
      if (!delta) {
        delta = { hashes: new Map(), zsets: new Map() };
        byDay.set(day, delta);
      }
      addTo(delta, event, day);
      const json = JSON.stringify(event);
      log(usageKeys.recent(), recentCap, json);
      log(usageKeys.recentOfUser(event.user_id), userRecentCap, json);
    }
    const calls: ScriptCall[] = [...byDay.values()].map((d) => ({
      script: applyRollupsScript,
      ...applyRollupsArgs(d),
    }));
    const argv: ScriptArg[] = [];
    for (const l of logs.values()) argv.push(l.cap, l.values.length, ...l.values);
    calls.push({ script: recentScript, keys: [...logs.keys()], argv });
    return calls;
  }

  async function write(events: readonly UsageEvent[]): Promise<void> {
    const errors = (await store.runBatch(callsOf(events))).filter((e) => e !== null);
    if (errors.length > 0) throw errors[0];
  }

  // Events submitted within a few ms go out together: one round trip instead of two per call.
  let pending: UsageEvent[] = [];
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return inFlight;
    const batch = pending;
    pending = [];
    const written = write(batch).catch((error: unknown) => options.onError?.(error));
    inFlight = Promise.all([inFlight, written]).then(() => {});
    return inFlight;
  };

  return {
    /** Records one event now. */
    record: (event: UsageEvent) => write([event]),
    /** Fire and forget: the request has already been answered. Written within `batchDelayMs`. */
    submit(event: UsageEvent): void {
      pending.push(event);
      if (pending.length >= batchMax) void flush();
      else timer ??= setTimeout(flush, batchDelayMs);
    },
    /** Writes what is pending (shutdown, tests). */
    flush,
  };
}

export type UsageRecorder = ReturnType<typeof createUsageRecorder>;
