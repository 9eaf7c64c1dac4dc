/** One LLM call as analytics sees it. Money in integer µ$, times in ms. */
export interface UsageEvent {
  request_id: string;
  trace_id: string | null;
  user_id: string;
  provider: string;
  model: string;
  /** ai.complete, ai.stream, rest.complete, openai.chat.completions, usage.track … */
  entry_point: string;
  status: 'success' | 'error' | 'aborted';
  /** Stable error class (provider_timeout, provider_rate_limited, …) or null. */
  error_class: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  cost_micros: number;
  /** True when usage was estimated (stream without final usage, client abort). */
  estimated: boolean;
  latency_ms: number;
  tags: string[];
  /** Epoch ms when the call started. */
  at: number;
  /** catalog version or override id the cost came from. */
  price_source: string | null;
  prompt_name?: string | null;
  prompt_version?: string | null;
}
