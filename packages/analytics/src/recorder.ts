import type { ScriptCall, Store } from '@tollgate/store';
import type { UsageEvent } from './event';
import { bucketOf } from './histogram';
import { dayOf, dims, minuteOf, usageKeys } from './keys';
import { recentScript, recordScript } from './record-script';

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

/** Writes each call into the day's rollups (one script) and the capped recent logs. */
export function createUsageRecorder(options: UsageRecorderOptions) {
  const { store } = options;
  const retention = options.retentionDays ?? 400;
  const recentCap = options.recentCap ?? 10_000;
  const userRecentCap = options.userRecentCap ?? 500;
  const batchDelayMs = options.batchDelayMs ?? 5;
  const batchMax = options.batchMax ?? 100;

  /** The two script calls that record an event: its rollups, and the recent-call logs. */
  function callsOf(event: UsageEvent): ScriptCall[] {
    const day = dayOf(event.at);
    const prompt = event.prompt_name ? `${event.prompt_name}@${event.prompt_version ?? 'latest'}` : '';
    const rollups = [
      dims.system,
      dims.user(event.user_id),
      dims.provider(event.provider),
      dims.model(event.provider, event.model),
      dims.entry(event.entry_point),
      ...(prompt ? [`t:${prompt}`] : []),
    ].map((d) => usageKeys.rollup(day, d));
    const minute = minuteOf(event.at);
    const minutes = [dims.system, dims.provider(event.provider)].map((d) => usageKeys.minute(day, minute, d));
    const indexes = [
      usageKeys.index(day, 'users'),
      usageKeys.index(day, 'models'),
      usageKeys.index(day, 'providers'),
      usageKeys.index(day, 'entries'),
      ...(prompt ? [usageKeys.index(day, 'prompts')] : []),
    ];
    const dayStart = Date.parse(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T00:00:00Z`) / 1000;
    const json = JSON.stringify(event);
    return [
      {
        script: recordScript,
        keys: [...rollups, ...minutes, ...indexes],
        argv: [
          rollups.length,
          dayStart + (retention + 1) * DAY_S,
          event.cost_micros,
          event.prompt_tokens,
          event.completion_tokens,
          event.cached_tokens,
          // Client aborts are counted apart: they are not failures of the gateway or the provider.
          event.status === 'error' ? 1 : 0,
          event.error_class ?? '',
          Math.max(0, Math.round(event.latency_ms)),
          bucketOf(event.latency_ms),
          event.estimated ? 1 : 0,
          event.status === 'aborted' ? 1 : 0,
          event.user_id,
          `${event.provider}/${event.model}`,
          event.provider,
          event.entry_point,
          prompt,
          minutes.length,
          minute * 60 + 60 + MINUTE_RETENTION_S,
          3, // the provider's day rollup: see the order above
        ],
      },
      {
        script: recentScript,
        keys: [usageKeys.recent(), usageKeys.recentOfUser(event.user_id)],
        argv: [json, recentCap, userRecentCap],
      },
    ];
  }

  async function write(events: readonly UsageEvent[]): Promise<void> {
    const errors = (await store.runBatch(events.flatMap(callsOf))).filter((e) => e !== null);
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
