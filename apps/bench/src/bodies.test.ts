import { describe, expect, it } from 'vitest';
import { bodyNote, completionBodies, systemPrompt } from './bodies';

describe('bench completion bodies', () => {
  it('send one short user message by default, on both routes', () => {
    const { chat, rest, systemChars } = completionBodies({});
    expect(systemChars).toBe(0);
    expect(chat.messages).toEqual([{ role: 'user', content: 'Say hello to the benchmark' }]);
    expect(rest).toEqual({ model: 'gpt-4o-mini', prompt: 'Say hello to the benchmark', max_tokens: 32 });
  });

  it('lead with the same system prompt of BENCH_SYSTEM_CHARS characters on both routes', () => {
    const { chat, rest } = completionBodies({ BENCH_SYSTEM_CHARS: '2000' });
    const system = chat.messages[0];
    expect(system?.role).toBe('system');
    expect(system?.content).toHaveLength(2000);
    expect(chat.messages[1]).toEqual({ role: 'user', content: 'Say hello to the benchmark' });
    expect(rest.system).toBe(system?.content);
    expect(rest.prompt).toBe('Say hello to the benchmark');
    expect(completionBodies({ BENCH_SYSTEM_CHARS: '2000' }).chat).toEqual(chat);
  });

  it('ask the fake upstream for BENCH_REPLY_TOKENS tokens, with room for them, and say what changed', () => {
    const { chat, rest, replyTokens } = completionBodies({ BENCH_REPLY_TOKENS: '200' });
    expect(replyTokens).toBe(200);
    expect(chat.messages.at(-1)?.content).toBe('Say hello to the benchmark [[reply:200]]');
    expect(chat.max_tokens).toBe(200);
    expect(rest).toMatchObject({ prompt: 'Say hello to the benchmark [[reply:200]]', max_tokens: 200 });
    expect(completionBodies({ BENCH_REPLY_TOKENS: '12' }).chat).toEqual(completionBodies({}).chat);
    expect(bodyNote(completionBodies({}))).toBe('');
    expect(bodyNote(completionBodies({ BENCH_SYSTEM_CHARS: '2000', BENCH_REPLY_TOKENS: '200' }))).toBe(
      ', a 2000-character system prompt, 200-token replies',
    );
    expect(() => completionBodies({ BENCH_REPLY_TOKENS: '0' })).toThrow(/BENCH_REPLY_TOKENS/);
  });

  it('name BENCH_MODEL on both routes, and say so', () => {
    const bodies = completionBodies({ BENCH_MODEL: 'claude-3-5-haiku-latest' });
    expect(bodies.chat.model).toBe('claude-3-5-haiku-latest');
    expect(bodies.rest.model).toBe('claude-3-5-haiku-latest');
    expect(bodyNote(bodies)).toBe(', model claude-3-5-haiku-latest');
    expect(completionBodies({ BENCH_MODEL: '' }).chat.model).toBe('gpt-4o-mini');
  });

  it('make prose of exactly the length asked, and refuse a size that is not a whole number', () => {
    for (const n of [1, 255, 256, 8000]) expect(systemPrompt(n)).toHaveLength(n);
    expect(systemPrompt(300)).toMatch(/^You answer questions/);
    expect(() => completionBodies({ BENCH_SYSTEM_CHARS: '2k' })).toThrow(/BENCH_SYSTEM_CHARS/);
  });
});
