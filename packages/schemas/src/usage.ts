/**
 * Token usage normalised once, in one place. `inputTokens` is every input token (uncached,
 * cache-read and cache-write together); `outputTokens` includes reasoning tokens.
 */
export interface NormalizedUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the prompt cache (part of inputTokens). */
  cacheReadTokens: number;
  /** Input tokens written to the prompt cache (part of inputTokens). */
  cacheWriteTokens: number;
  /** Reasoning tokens (part of outputTokens, priced as output). */
  reasoningTokens: number;
}

export interface OpenAIUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/** Provider-reported counts are untrusted: anything not a non-negative safe integer counts as 0. */
function count(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
}

/** OpenAI and Azure: prompt_tokens already include cached tokens; completion_tokens include reasoning. */
export function fromOpenAIUsage(usage: OpenAIUsage): NormalizedUsage {
  const inputTokens = count(usage.prompt_tokens);
  const outputTokens = count(usage.completion_tokens);
  return {
    inputTokens,
    outputTokens,
    cacheReadTokens: Math.min(count(usage.prompt_tokens_details?.cached_tokens), inputTokens),
    cacheWriteTokens: 0,
    reasoningTokens: Math.min(count(usage.completion_tokens_details?.reasoning_tokens), outputTokens),
  };
}

/** Anthropic: input_tokens exclude cache reads and cache writes, so they are added back. */
export function fromAnthropicUsage(usage: AnthropicUsage): NormalizedUsage {
  const cacheReadTokens = count(usage.cache_read_input_tokens);
  const cacheWriteTokens = count(usage.cache_creation_input_tokens);
  return {
    inputTokens: count(usage.input_tokens) + cacheReadTokens + cacheWriteTokens,
    outputTokens: count(usage.output_tokens),
    cacheReadTokens,
    cacheWriteTokens,
    reasoningTokens: 0,
  };
}

/** Plain prompt/completion counts, as reported by callers of usage.track. */
export function simpleUsage(inputTokens: number, outputTokens: number): NormalizedUsage {
  return {
    inputTokens: count(inputTokens),
    outputTokens: count(outputTokens),
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  };
}
