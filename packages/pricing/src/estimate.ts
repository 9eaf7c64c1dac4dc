import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { TokenCounter } from './token-counter';

export interface EstimatableMessage {
  role: string;
  content: string;
}

/** Per-message framing tokens (role, separators) as in OpenAI's counting guide, plus reply priming. */
const PER_MESSAGE = 4;
const PER_REPLY = 3;

function usesO200k(model: string): boolean {
  return /^(gpt-4o|gpt-4\.1|gpt-5|o\d|chatgpt-4o)/.test(model);
}

const sharedCounter = new TokenCounter();

/**
 * A conservative count of input tokens for a reservation. OpenAI models are counted with their
 * tokenizer; others (Anthropic's tokenizer is not public) with ~3 characters a token. Both get a
 * 5 % margin, because an under-estimate is the only way a reservation can be exceeded.
 */
export function estimateInputTokens(
  provider: string,
  model: string,
  messages: readonly EstimatableMessage[],
  counter: TokenCounter = sharedCounter,
): number {
  let tokens = PER_REPLY;
  const openaiFamily = provider === 'openai' || provider === 'azure';
  const o200k = openaiFamily && usesO200k(model);
  for (const m of messages) {
    tokens += PER_MESSAGE;
    if (openaiFamily) {
      tokens += counter.count(o200k, m.content);
    } else {
      tokens += Math.ceil(m.content.length / 3);
    }
    tokens += Math.ceil(m.role.length / 4);
  }
  return Math.ceil(tokens * 1.05);
}

/** Builds both tokenizers' tables now (hundreds of ms of CPU), so the first request does not pay for it. */
export function warmTokenizers(): void {
  countO200k('warm up');
  countCl100k('warm up');
}
