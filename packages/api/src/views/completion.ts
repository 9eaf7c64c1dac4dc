import { microsToUsd } from '@tollgate/schemas';
import type { CompletionOutcome } from '../completion/runner';
import { limitStatusJson } from './limit-status';

export function usageJson(o: Pick<CompletionOutcome, 'usage'>) {
  const u = o.usage;
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    cached_tokens: u.cacheReadTokens,
    cache_write_tokens: u.cacheWriteTokens,
    reasoning_tokens: u.reasoningTokens,
  };
}

/** The response of `ai.complete` and `POST /api/v1/ai/complete/`. */
export function completionJson(o: CompletionOutcome) {
  return {
    id: o.requestId,
    request_id: o.requestId,
    trace_id: o.traceId,
    provider: o.provider,
    model: o.model,
    content: o.content,
    tool_calls: o.toolCalls,
    finish_reason: o.finishReason,
    usage: usageJson(o),
    cost_usd: microsToUsd(o.costMicros),
    latency_ms: o.latencyMs,
    estimated: o.estimated,
    price_source: o.priceSource,
    limit: o.limit ? limitStatusJson(o.limit) : null,
  };
}

export type CompletionJson = ReturnType<typeof completionJson>;

/** Headers every completion response carries. */
export function completionHeaders(o: Pick<CompletionOutcome, 'costMicros' | 'limit'>): Record<string, string> {
  const headers: Record<string, string> = { 'x-tollgate-cost-usd': String(microsToUsd(o.costMicros)) };
  if (o.limit) headers['x-tollgate-daily-remaining-usd'] = String(microsToUsd(o.limit.dayRemaining));
  return headers;
}
