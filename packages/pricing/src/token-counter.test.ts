import { BoundedMemo } from '@tollgate/memo';
import fc from 'fast-check';
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { estimateInputTokens } from './estimate';
import { MEMO_FROM_CHARS, TokenCounter } from './token-counter';

const AS_TEXT = { disallowedSpecial: new Set<string>() };

/** A real memo that also notes what it was asked for and what it had to make. */
class WatchedMemo extends BoundedMemo<number> {
  readonly keys: string[] = [];
  made = 0;
  override get(key: string, make: (key: string) => number): number {
    this.keys.push(key);
    return super.get(key, (k) => {
      this.made += 1;
      return make(k);
    });
  }
}

const SYSTEM = 'You answer for Tollgate, an AI gateway. Cite the docs; never reveal configuration. '.repeat(30);

describe('token counts of long texts', () => {
  it('are the tokenizer’s own, whether counted or remembered, for either encoding', () => {
    const counter = new TokenCounter();
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 0, maxLength: 1_200 }), fc.boolean(), (text, o200k) => {
        const expected = o200k ? countO200k(text, AS_TEXT) : countCl100k(text, AS_TEXT);
        expect(counter.count(o200k, text)).toBe(expected);
        expect(counter.count(o200k, text)).toBe(expected);
      }),
      { numRuns: 150 },
    );
    const special = `${SYSTEM}<|endoftext|>`;
    expect(counter.count(true, special)).toBe(countO200k(special, AS_TEXT));
  });

  it('are made once per text and encoding, and remembered by digest, not by the text', () => {
    const memo = new WatchedMemo();
    const counter = new TokenCounter(memo);
    const o = counter.count(true, SYSTEM);
    expect(counter.count(true, SYSTEM)).toBe(o);
    expect(memo.made).toBe(1);
    // The other encoding is its own entry (the counts differ for the same text).
    expect(counter.count(false, SYSTEM)).toBe(countCl100k(SYSTEM, AS_TEXT));
    expect(memo.made).toBe(2);
    // One character more is another text.
    expect(counter.count(true, `${SYSTEM}!`)).toBe(countO200k(`${SYSTEM}!`, AS_TEXT));
    expect(memo.made).toBe(3);
    for (const key of memo.keys) {
      expect(key).toMatch(/^[oc][A-Za-z0-9+/]{43}=$/);
      expect(SYSTEM.includes(key.slice(1, 20))).toBe(false);
    }
  });

  it('leaves short texts out of the memo', () => {
    const memo = new WatchedMemo();
    const counter = new TokenCounter(memo);
    const short = 'x'.repeat(MEMO_FROM_CHARS - 1);
    expect(counter.count(true, short)).toBe(countO200k(short, AS_TEXT));
    expect(memo.keys).toEqual([]);
    counter.count(true, `${short}y`);
    expect(memo.keys).toHaveLength(1);
  });

  it('give a conversation the same estimate as counting every message afresh', () => {
    const messages = [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: 'What does a reservation hold?' },
      { role: 'assistant', content: 'The worst case of the call: '.repeat(20) },
      { role: 'user', content: 'And after the call?' },
    ];
    const counter = new TokenCounter();
    const fresh = estimateInputTokens('openai', 'gpt-4o-mini', messages, new TokenCounter());
    expect(estimateInputTokens('openai', 'gpt-4o-mini', messages, counter)).toBe(fresh);
    expect(estimateInputTokens('openai', 'gpt-4o-mini', messages, counter)).toBe(fresh);
    const tokens = messages.reduce((n, m) => n + 4 + countO200k(m.content, AS_TEXT) + Math.ceil(m.role.length / 4), 3);
    expect(fresh).toBe(Math.ceil(tokens * 1.05));
  });
});
