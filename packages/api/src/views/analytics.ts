import { percentiles, type Totals } from '@tollgate/analytics';
import { microsToUsd, percent } from '@tollgate/schemas';

/** Legacy clients read `user_id` as a number when it is one: canonical integers become JSON numbers. */
export function jsonUserId(id: string): string | number {
  return /^(0|[1-9]\d{0,15})$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : id;
}

const avg = (sum: number, n: number) => (n === 0 ? 0 : sum / n);

/** Totals as JSON: dollars ≤ 6 decimals, percentages ≤ 2, latency to 0.1 ms. */
export function totalsJson(t: Totals) {
  return {
    total_cost_usd: microsToUsd(t.costMicros),
    total_tokens: t.promptTokens + t.completionTokens,
    prompt_tokens: t.promptTokens,
    completion_tokens: t.completionTokens,
    cached_tokens: t.cachedTokens,
    total_requests: t.requests,
    error_count: t.errors,
    error_rate: percent(t.errors, t.requests),
    aborted_count: t.aborted,
    estimated_count: t.estimated,
    avg_latency_ms: Math.round(avg(t.latencySumMs, t.requests) * 10) / 10,
    avg_cost_per_request: microsToUsd(Math.round(avg(t.costMicros, t.requests))),
    latency_ms: percentiles(t),
    errors_by_class: t.errorsByClass,
  };
}
