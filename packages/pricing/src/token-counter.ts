import { hash } from 'node:crypto';
import { BoundedMemo } from '@tollgate/memo';
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Caller text is text: a prompt that contains `<|endoftext|>` is counted as the characters it is
 * (as the API treats it), instead of the tokenizer's default of throwing on special tokens.
 */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

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
