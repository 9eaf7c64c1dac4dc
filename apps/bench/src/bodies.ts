import { wholeNumber } from './bench-env';

const PROSE =
  'You answer questions for the support desk of a software company. Be brief and exact, cite the ' +
  'documentation page you relied on, ask for the account id when a question is about billing, and ' +
  'never reveal internal configuration, keys or other customers. ';

/** `chars` characters of system-prompt prose, the same every call (as an app's system prompt is). */
export function systemPrompt(chars: number): string {
  return PROSE.repeat(Math.ceil(chars / PROSE.length)).slice(0, chars);
}

/**
 * The same completion on each route, as the bench sends it: one short user message, led by a
 * system prompt of `BENCH_SYSTEM_CHARS` characters when set (0, none, by default), since real
 * callers send one with every call.
 */
export function completionBodies(env: NodeJS.ProcessEnv) {
  const systemChars = wholeNumber(env, 'BENCH_SYSTEM_CHARS', 0, 0);
  const system = systemChars > 0 ? systemPrompt(systemChars) : null;
  const user = 'Say hello to the benchmark';
  return {
    systemChars,
    chat: {
      model: 'gpt-4o-mini',
      messages: [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content: user }],
      max_tokens: 32,
    },
    rest: { model: 'gpt-4o-mini', ...(system && { system }), prompt: user, max_tokens: 32 },
  };
}
