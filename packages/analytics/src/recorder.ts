import type { Store } from '@tollgate/store';
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

  async function record(event: UsageEvent): Promise<void> {
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
    await Promise.all([
      store.run(
        recordScript,
        [...rollups, ...minutes, ...indexes],
        [
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
      ),
      store.run(
        recentScript,
        [usageKeys.recent(), usageKeys.recentOfUser(event.user_id)],
        [json, recentCap, userRecentCap],
      ),
    ]);
  }

  return {
    record,
    /** Fire and forget: the request has already been answered. */
    submit(event: UsageEvent): void {
      record(event).catch((error: unknown) => options.onError?.(error));
    },
  };
}

export type UsageRecorder = ReturnType<typeof createUsageRecorder>;
