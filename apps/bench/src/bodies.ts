import { wholeNumber } from './bench-env';

const PROSE =
  'You answer questions for the support desk of a software company. Be brief and exact, cite the ' +
  'documentation page you relied on, ask for the account id when a question is about billing, and ' +
  'never reveal internal configuration, keys or other customers. ';

/** `chars` characters of system-prompt prose, the same every call (as an app's system prompt is). */
export function systemPrompt(chars: number): string {
  return PROSE.repeat(Math.ceil(chars / PROSE.length)).slice(0, chars);
}

const DEFAULT_MODEL = 'gpt-4o-mini';
/** The fake upstream's reply by default: 12 tokens, one stream chunk each. */
const DEFAULT_REPLY_TOKENS = 12;

/**
 * The same completion on each route, as the bench sends it: one short user message, led by a
 * system prompt of `BENCH_SYSTEM_CHARS` characters when set (0, none, by default), since real
 * callers send one with every call, and answered with `BENCH_REPLY_TOKENS` tokens (12 by
 * default; a stream carries one chunk per token), through the fake upstream's `[[reply:N]]`,
 * from `BENCH_MODEL` (`gpt-4o-mini` by default; a Claude model goes through the Anthropic adapter).
 * The baselines, which speak OpenAI's API only, get the same body.
 */
export function completionBodies(env: NodeJS.ProcessEnv) {
  const systemChars = wholeNumber(env, 'BENCH_SYSTEM_CHARS', 0, 0);
  const replyTokens = wholeNumber(env, 'BENCH_REPLY_TOKENS', DEFAULT_REPLY_TOKENS, 1);
  const system = systemChars > 0 ? systemPrompt(systemChars) : null;
  const user = `Say hello to the benchmark${replyTokens === DEFAULT_REPLY_TOKENS ? '' : ` [[reply:${replyTokens}]]`}`;
  const maxTokens = Math.max(32, replyTokens);
  const model = env.BENCH_MODEL || DEFAULT_MODEL;
  return {
    systemChars,
    replyTokens,
    model,
    chat: {
      model,
      messages: [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content: user }],
      max_tokens: maxTokens,
    },
    rest: { model, ...(system && { system }), prompt: user, max_tokens: maxTokens },
  };
}

/** What a run's bodies change from the default, for its report: nothing, or e.g. `, a 2000-character system prompt`. */
export function bodyNote({
  systemChars,
  replyTokens,
  model,
}: {
  systemChars: number;
  replyTokens: number;
  model: string;
}): string {
  return (
    (model !== DEFAULT_MODEL ? `, model ${model}` : '') +
    (systemChars > 0 ? `, a ${systemChars}-character system prompt` : '') +
    (replyTokens !== DEFAULT_REPLY_TOKENS ? `, ${replyTokens}-token replies` : '')
  );
}
