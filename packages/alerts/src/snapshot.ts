import { dims, percentiles, type UsageQueries } from '@tollgate/analytics';
import type { AlertThresholds, UsageSnapshot, WindowStats } from './rules';

/** Users checked for unusual spend each evaluation: today's biggest spenders. */
const USERS_CHECKED = 50;
const BASELINE_DAYS = 7;

const windowOf = (t: Awaited<ReturnType<UsageQueries['lastMinutes']>>): WindowStats => ({
  requests: t.requests,
  errors: t.errors,
  p95Ms: percentiles(t).p95,
});

/** Reads what the rules need from the rollups: a handful of minute hashes and day hashes, no scans. */
export async function readSnapshot(queries: UsageQueries, t: AlertThresholds): Promise<UsageSnapshot> {
  const [errorWindow, latencyWindow, today, topUsers, providers] = await Promise.all([
    queries.lastMinutes(dims.system, t.error_rate.window_minutes),
    queries.lastMinutes(dims.system, t.latency_p95.window_minutes),
    queries.totals(dims.system, 1),
    t.user_spend_anomaly.enabled ? queries.top('users', 1, USERS_CHECKED) : Promise.resolve([]),
    queries.top('providers', BASELINE_DAYS, 20),
  ]);
  const users = await Promise.all(
    topUsers.map(async ({ member, costMicros }) => {
      const days = await queries.daily(dims.user(member), BASELINE_DAYS + 1);
      const previous = days.slice(0, BASELINE_DAYS).reduce((sum, d) => sum + d.costMicros, 0);
      return { userId: member, todayMicros: costMicros, baselineMicros: Math.round(previous / BASELINE_DAYS) };
    }),
  );
  const providerStats = await Promise.all(
    providers.map(async ({ member }) => ({
      provider: member,
      window: windowOf(await queries.lastMinutes(dims.provider(member), t.provider_failures.window_minutes)),
      streak: await queries.failureStreak(member),
    })),
  );
  return {
    errorWindow: windowOf(errorWindow),
    latencyWindow: windowOf(latencyWindow),
    systemTodayMicros: today.costMicros,
    users,
    providers: providerStats,
  };
}
