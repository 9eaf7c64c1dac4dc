/**
 * The alert rules, as pure functions of a snapshot of recent usage. Thresholds default to the
 * reference document's (error rate > 5 %, latency > 5 s, cost > $100/day, provider failures) and
 * are changed at run time by admins. Money in integer µ$.
 */
export type AlertRuleId = 'error_rate' | 'latency_p95' | 'daily_spend' | 'user_spend_anomaly' | 'provider_failures';

export interface AlertThresholds {
  error_rate: { enabled: boolean; percent: number; window_minutes: number; min_requests: number };
  latency_p95: { enabled: boolean; ms: number; window_minutes: number; min_requests: number };
  daily_spend: { enabled: boolean; micros: number };
  /** Today's spend above `factor` × the user's daily average of the previous 7 days, and at least `min_micros`. */
  user_spend_anomaly: { enabled: boolean; factor: number; min_micros: number };
  /** A provider's error rate over the window, or consecutive failed calls. */
  provider_failures: {
    enabled: boolean;
    percent: number;
    window_minutes: number;
    min_requests: number;
    consecutive: number;
  };
}

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  error_rate: { enabled: true, percent: 5, window_minutes: 15, min_requests: 20 },
  latency_p95: { enabled: true, ms: 5_000, window_minutes: 15, min_requests: 20 },
  daily_spend: { enabled: true, micros: 100_000_000 },
  user_spend_anomaly: { enabled: true, factor: 5, min_micros: 2_000_000 },
  provider_failures: { enabled: true, percent: 25, window_minutes: 5, min_requests: 10, consecutive: 5 },
};

export const RULE_DESCRIPTIONS: Record<AlertRuleId, string> = {
  error_rate: 'Share of calls that failed at the provider, over a sliding window',
  latency_p95: '95th percentile latency of calls, over a sliding window',
  daily_spend: 'Spend of all users together today (UTC)',
  user_spend_anomaly: "A user's spend today, far above their usual daily spend",
  provider_failures: "A provider's error rate over a short window, or consecutive failed calls",
};

export interface WindowStats {
  requests: number;
  errors: number;
  p95Ms: number | null;
}

/** What the rules look at; read from the rollups by `readSnapshot`. */
export interface UsageSnapshot {
  errorWindow: WindowStats;
  latencyWindow: WindowStats;
  systemTodayMicros: number;
  /** Today's biggest spenders with their previous-7-day daily average. */
  users: { userId: string; todayMicros: number; baselineMicros: number }[];
  providers: { provider: string; window: WindowStats; streak: number }[];
}

/** One rule's verdict on one subject (the system, a user, a provider). */
export interface Finding {
  rule: AlertRuleId;
  /** `system`, `user:<id>`, `provider:<id>`. */
  subject: string;
  firing: boolean;
  value: number;
  threshold: number;
  message: string;
}

const pct = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100);
const usd = (micros: number) => {
  const dollars = micros / 1e6;
  return `$${dollars === 0 || dollars >= 0.01 ? dollars.toFixed(2) : dollars.toFixed(6)}`;
};

/** Every enabled rule's findings. Subjects without enough data are simply absent (not firing). */
export function evaluateRules(s: UsageSnapshot, t: AlertThresholds): Finding[] {
  const out: Finding[] = [];
  if (t.error_rate.enabled && s.errorWindow.requests >= t.error_rate.min_requests) {
    const rate = pct(s.errorWindow.errors, s.errorWindow.requests);
    out.push({
      rule: 'error_rate',
      subject: 'system',
      firing: rate > t.error_rate.percent,
      value: rate,
      threshold: t.error_rate.percent,
      message: `Error rate ${rate}% over the last ${t.error_rate.window_minutes} min (${s.errorWindow.errors} of ${s.errorWindow.requests} calls; threshold ${t.error_rate.percent}%)`,
    });
  }
  if (t.latency_p95.enabled && s.latencyWindow.requests >= t.latency_p95.min_requests) {
    const p95 = s.latencyWindow.p95Ms ?? 0;
    out.push({
      rule: 'latency_p95',
      subject: 'system',
      firing: p95 > t.latency_p95.ms,
      value: p95,
      threshold: t.latency_p95.ms,
      message: `p95 latency ${p95} ms over the last ${t.latency_p95.window_minutes} min (threshold ${t.latency_p95.ms} ms)`,
    });
  }
  if (t.daily_spend.enabled) {
    out.push({
      rule: 'daily_spend',
      subject: 'system',
      firing: s.systemTodayMicros > t.daily_spend.micros,
      value: s.systemTodayMicros,
      threshold: t.daily_spend.micros,
      message: `System spend today is ${usd(s.systemTodayMicros)} (threshold ${usd(t.daily_spend.micros)} per day)`,
    });
  }
  if (t.user_spend_anomaly.enabled) {
    for (const u of s.users) {
      const threshold = Math.max(
        Math.ceil(u.baselineMicros * t.user_spend_anomaly.factor),
        t.user_spend_anomaly.min_micros,
      );
      out.push({
        rule: 'user_spend_anomaly',
        subject: `user:${u.userId}`,
        firing: u.todayMicros > threshold,
        value: u.todayMicros,
        threshold,
        message: `User ${u.userId} spent ${usd(u.todayMicros)} today; their usual is ${usd(u.baselineMicros)} a day (threshold ${usd(threshold)})`,
      });
    }
  }
  if (t.provider_failures.enabled) {
    const r = t.provider_failures;
    for (const p of s.providers) {
      const rate = pct(p.window.errors, p.window.requests);
      const byRate = p.window.requests >= r.min_requests && rate > r.percent;
      const byStreak = p.streak >= r.consecutive;
      out.push({
        rule: 'provider_failures',
        subject: `provider:${p.provider}`,
        firing: byRate || byStreak,
        value: byStreak && !byRate ? p.streak : rate,
        threshold: byStreak && !byRate ? r.consecutive : r.percent,
        message: byStreak
          ? `${p.provider}: ${p.streak} consecutive failed calls (threshold ${r.consecutive})`
          : `${p.provider}: error rate ${rate}% over the last ${r.window_minutes} min (${p.window.errors} of ${p.window.requests} calls; threshold ${r.percent}%)`,
      });
    }
  }
  return out;
}
