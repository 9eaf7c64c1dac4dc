import { hash } from 'node:crypto';
import { BoundedMemo } from '@tollgate/memo';
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

export interface EstimatableMessage {
  role: string;
  content: string;
}

/** Per-message framing tokens (role, separators) as in OpenAI's counting guide, plus reply priming. */
const PER_MESSAGE = 4;
const PER_REPLY = 3;

/**
 * Caller text is text: a prompt that contains `<|endoftext|>` is counted as the characters it is
 * (as the API treats it), instead of the tokenizer's default of throwing on special tokens.
 */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

function usesO200k(model: string): boolean {
  return /^(gpt-4o|gpt-4\.1|gpt-5|o\d|chatgpt-4o)/.test(model);
}

/**
 * Texts at least this long have their counts remembered. Shorter ones take ~3 µs to count (and
 * ~0.5–0.9 to digest and look up), and are mostly a conversation's new turn, seen once.
 */
export const MEMO_FROM_CHARS = 64;

/**
 * Token counts of all but short texts, by encoding and SHA-256 of the text. Callers send the same
 * system prompt, and a conversation's earlier turns, call after call: counting 2,000 characters
 * takes ~30 µs and digesting them ~2, counting 64 ~3 µs and digesting them ~0.5, and the cost
 * grows with the text. Keyed by digest, the memo holds no caller text; bounded by count, it holds
 * at most ~1.5 MB.
 */
export class TokenCounter {
  constructor(private readonly memo = new BoundedMemo<number>(10_000)) {}

  count(o200k: boolean, text: string): number {
    if (text.length < MEMO_FROM_CHARS) return countWith(o200k, text);
    return this.memo.get(`${o200k ? 'o' : 'c'}${hash('sha256', text, 'base64')}`, () => countWith(o200k, text));
  }
}

function countWith(o200k: boolean, text: string): number {
  return o200k ? countO200k(text, AS_TEXT) : countCl100k(text, AS_TEXT);
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
