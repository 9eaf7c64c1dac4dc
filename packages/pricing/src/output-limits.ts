/**
 * Largest completion each model family may produce, used to clamp `max_tokens` (and so the
 * reservation). First match wins; unknown models get a conservative default.
 */
const LIMITS: [RegExp, number][] = [
  [/^gpt-5/, 128_000],
  [/^o[134](-|$)/, 100_000],
  [/^gpt-4\.1/, 32_768],
  [/^gpt-4o/, 16_384],
  [/^gpt-4-turbo|^gpt-4-\d{4}-preview/, 4_096],
  [/^gpt-4(-|$)/, 8_192],
  [/^gpt-3\.5/, 4_096],
  [/^claude-(opus-4|4-opus)/, 32_000],
  [/^claude-(sonnet-4|3-7-sonnet|4-sonnet)/, 64_000],
  [/^claude-(haiku-4|3-5-haiku|3-5-sonnet)/, 8_192],
  [/^claude-3-(haiku|opus|sonnet)/, 4_096],
];

export const DEFAULT_OUTPUT_LIMIT = 4_096;

export function outputLimit(model: string): number {
  const bare = model.toLowerCase().replace(/^(openai|anthropic|azure)\//, '');
  for (const [pattern, limit] of LIMITS) if (pattern.test(bare)) return limit;
  return DEFAULT_OUTPUT_LIMIT;
}
