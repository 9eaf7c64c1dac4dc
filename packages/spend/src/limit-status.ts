import { microsToUsd } from '@tollgate/schemas';
import type { Windows } from './windows';

export type LimitScope = 'user_daily' | 'user_monthly' | 'system_monthly';
export type LimitLevel = 'ok' | 'warning' | 'exceeded';

/** Raw window figures, all integer µ$; a limit of -1 means none. */
export interface WindowFigures {
  daySettled: number;
  dayReserved: number;
  monthSettled: number;
  monthReserved: number;
  systemSettled: number;
  systemReserved: number;
  dayLimit: number;
  userMonthLimit: number;
  systemLimit: number;
}

/** A user's standing against every window, in µ$ (see `limitStatusJson` for the dollar edge). */
export interface LimitStatus extends WindowFigures {
  userId: string;
  dayRemaining: number;
  /** What the user can still spend this month under both the user and the system cap. */
  monthRemaining: number;
  /** The user's monthly limit when set, else the system cap. */
  monthLimit: number;
  dayPercent: number;
  monthPercent: number;
  systemPercent: number;
  level: LimitLevel;
  blocked: boolean;
  blockedReason: LimitScope | null;
  warningMessage: string | null;
  dayResetsAt: number;
  monthResetsAt: number;
}

export const WARNING_PERCENT = 80;

const pct = (used: number, limit: number) => (limit <= 0 ? (used > 0 || limit === 0 ? 100 : 0) : (used / limit) * 100);
const round2 = (n: number) => Math.round(n * 100) / 100;
/** Dollars as people read them; amounts under a cent keep their micro-dollars. */
const usd = (micros: number) => {
  const v = microsToUsd(micros);
  return v !== 0 && v < 0.01 ? `$${v.toFixed(6).replace(/0+$/, '')}` : `$${v.toFixed(2)}`;
};
const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function describeLimitStatus(userId: string, f: WindowFigures, w: Windows): LimitStatus {
  const dayUsed = f.daySettled + f.dayReserved;
  const monthUsed = f.monthSettled + f.monthReserved;
  const systemUsed = f.systemSettled + f.systemReserved;
  const hasUserMonth = f.userMonthLimit >= 0;
  const dayPercent = pct(dayUsed, f.dayLimit);
  const userMonthPercent = hasUserMonth ? pct(monthUsed, f.userMonthLimit) : 0;
  const systemPercent = pct(systemUsed, f.systemLimit);
  const monthLimit = hasUserMonth ? f.userMonthLimit : f.systemLimit;
  const monthRemaining = Math.max(
    0,
    Math.min(hasUserMonth ? f.userMonthLimit - monthUsed : Number.POSITIVE_INFINITY, f.systemLimit - systemUsed),
  );

  const windows: [LimitScope, number][] = [
    ['user_daily', dayPercent],
    ...(hasUserMonth ? ([['user_monthly', userMonthPercent]] as [LimitScope, number][]) : []),
    ['system_monthly', systemPercent],
  ];
  const exhausted = windows.find(([, p]) => p >= 100);
  const top = windows.reduce((a, b) => (b[1] > a[1] ? b : a));
  const level: LimitLevel = exhausted ? 'exceeded' : top[1] >= WARNING_PERCENT ? 'warning' : 'ok';

  let warningMessage: string | null = null;
  const scope = exhausted?.[0] ?? (level === 'warning' ? top[0] : null);
  if (scope === 'user_daily') {
    warningMessage = exhausted
      ? `Daily spend limit exceeded: ${usd(dayUsed)} of ${usd(f.dayLimit)} used today. AI requests are blocked until the limit resets at ${utc(w.dayResetsAt)}.`
      : `You have used ${Math.floor(dayPercent)}% of your daily AI spend limit (${usd(dayUsed)} of ${usd(f.dayLimit)}). It resets at ${utc(w.dayResetsAt)}.`;
  } else if (scope === 'user_monthly') {
    warningMessage = exhausted
      ? `Monthly spend limit exceeded: ${usd(monthUsed)} of ${usd(f.userMonthLimit)} used this month. AI requests are blocked until ${utc(w.monthResetsAt)}.`
      : `You have used ${Math.floor(userMonthPercent)}% of your monthly AI spend limit (${usd(monthUsed)} of ${usd(f.userMonthLimit)}). It resets at ${utc(w.monthResetsAt)}.`;
  } else if (scope === 'system_monthly') {
    warningMessage = exhausted
      ? `The system-wide monthly AI budget is exhausted. AI requests are blocked for everyone until ${utc(w.monthResetsAt)}; contact an administrator.`
      : `The system-wide monthly AI budget is ${Math.floor(systemPercent)}% used. It resets at ${utc(w.monthResetsAt)}.`;
  }

  // Fields listed one by one: on Node 20, properties written after a spread cost µs each.
  return {
    daySettled: f.daySettled,
    dayReserved: f.dayReserved,
    monthSettled: f.monthSettled,
    monthReserved: f.monthReserved,
    systemSettled: f.systemSettled,
    systemReserved: f.systemReserved,
    dayLimit: f.dayLimit,
    userMonthLimit: f.userMonthLimit,
    systemLimit: f.systemLimit,
    userId,
    dayRemaining: Math.max(0, f.dayLimit - dayUsed),
    monthRemaining,
    monthLimit,
    dayPercent: round2(dayPercent),
    monthPercent: round2(pct(monthUsed, monthLimit)),
    systemPercent: round2(systemPercent),
    level,
    blocked: exhausted !== undefined,
    blockedReason: exhausted?.[0] ?? null,
    warningMessage,
    dayResetsAt: w.dayResetsAt,
    monthResetsAt: w.monthResetsAt,
  };
}
