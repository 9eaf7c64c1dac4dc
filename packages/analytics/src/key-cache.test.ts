import { describe, expect, it } from 'vitest';
import { createKeyCache } from './key-cache';
import { dims, usageKeys } from './keys';

describe('the recorder key cache', () => {
  it('gives the keys usageKeys builds, for each day, minute and value, across days and back', () => {
    const cache = createKeyCache();
    for (const day of ['20261204', '20261205', '20261204']) {
      const k = cache.day(day);
      expect(k.system).toBe(usageKeys.rollup(day, dims.system));
      for (const user of ['42', 'alice', '42']) expect(k.user(user)).toBe(usageKeys.rollup(day, dims.user(user)));
      expect(k.provider('openai')).toBe(usageKeys.rollup(day, dims.provider('openai')));
      expect(k.models('openai')('gpt-4o-mini')).toEqual({
        rollup: usageKeys.rollup(day, dims.model('openai', 'gpt-4o-mini')),
        member: 'openai/gpt-4o-mini',
      });
      expect(k.models('azure')('gpt-4o-mini').rollup).toBe(usageKeys.rollup(day, dims.model('azure', 'gpt-4o-mini')));
      expect(k.entry('ai.complete')).toBe(usageKeys.rollup(day, dims.entry('ai.complete')));
      for (const minute of [29_000_000, 29_000_001, 29_000_000]) {
        expect(k.minute(minute).system).toBe(usageKeys.minute(day, minute, dims.system));
        expect(k.minute(minute).provider('anthropic')).toBe(usageKeys.minute(day, minute, dims.provider('anthropic')));
      }
      expect(k.index).toEqual({
        users: usageKeys.index(day, 'users'),
        models: usageKeys.index(day, 'models'),
        providers: usageKeys.index(day, 'providers'),
        entries: usageKeys.index(day, 'entries'),
        prompts: usageKeys.index(day, 'prompts'),
      });
    }
    expect(cache.recent).toBe(usageKeys.recent());
    expect(cache.recentOfUser('42')).toBe(usageKeys.recentOfUser('42'));
  });

  it('builds each key once and keeps a bounded number of days', () => {
    const cache = createKeyCache();
    const day = cache.day('20261204');
    expect(cache.day('20261204')).toBe(day);
    expect(day.models('openai')('gpt-4o')).toBe(day.models('openai')('gpt-4o'));
    for (const d of ['20261205', '20261206', '20261207', '20261208']) cache.day(d);
    // A fifth day cleared the first: built again, equal but not the same object.
    const again = cache.day('20261204');
    expect(again).not.toBe(day);
    expect(again.system).toBe(day.system);
  });
});
