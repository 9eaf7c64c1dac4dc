import { isoTime } from '@tollgate/memo';
import { microsToUsd } from '@tollgate/schemas';
import type { LimitStatus } from '@tollgate/spend';

/**
 * The legacy spend-limit JSON (`GET /api/v1/ai/analytics/user/spend-limit/`): the reference's
 * fields with their types, dollars with at most six decimals and percentages with at most two,
 * plus Tollgate's additions.
 */
export function limitStatusJson(s: LimitStatus) {
  return {
    within_limits: !s.blocked,
    daily_spend: microsToUsd(s.daySettled),
    daily_limit: microsToUsd(s.dayLimit),
    daily_remaining: microsToUsd(s.dayRemaining),
    daily_percent_used: s.dayPercent,
    monthly_spend: microsToUsd(s.monthSettled),
    monthly_limit: microsToUsd(s.monthLimit),
    monthly_remaining: microsToUsd(s.monthRemaining),
    monthly_percent_used: s.monthPercent,
    limit_status: s.level,
    warning_message: s.warningMessage,
    blocked: s.blocked,
    blocked_reason: s.blockedReason,
    daily_reserved: microsToUsd(s.dayReserved),
    monthly_reserved: microsToUsd(s.monthReserved),
    user_monthly_limit: s.userMonthLimit >= 0 ? microsToUsd(s.userMonthLimit) : null,
    system_monthly_spend: microsToUsd(s.systemSettled),
    system_monthly_limit: microsToUsd(s.systemLimit),
    system_percent_used: s.systemPercent,
    daily_resets_at: isoTime(s.dayResetsAt),
    monthly_resets_at: isoTime(s.monthResetsAt),
  };
}

export type LimitStatusJson = ReturnType<typeof limitStatusJson>;
