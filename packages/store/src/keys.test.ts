import { describe, expect, it } from 'vitest';
import { hashSlot, taggedKey } from './keys';

describe('keys', () => {
  it('builds tagged keys', () => {
    expect(taggedKey('spend', 'u', 42, 'd', '20261204')).toBe('tg:{spend}:u:42:d:20261204');
    expect(() => taggedKey('a{b')).toThrow();
  });

  it('computes Redis Cluster slots like Redis does', () => {
    // Reference values from the Redis Cluster specification and CLUSTER KEYSLOT.
    expect(hashSlot('123456789')).toBe(12739);
    expect(hashSlot('foo')).toBe(12182);
    expect(hashSlot('{user1000}.following')).toBe(hashSlot('{user1000}.followers'));
    expect(hashSlot('foo{}{bar}')).toBe(hashSlot('foo{}{bar}'));
  });
});
