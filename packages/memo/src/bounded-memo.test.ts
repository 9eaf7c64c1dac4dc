import { describe, expect, it } from 'vitest';
import { BoundedMemo } from './bounded-memo';

describe('BoundedMemo', () => {
  it('makes each value once, null included, and empties itself when full', () => {
    const made: string[] = [];
    const make = (key: string) => {
      made.push(key);
      return key === 'none' ? null : key.toUpperCase();
    };
    const memo = new BoundedMemo<string | null>(3);
    expect([memo.get('a', make), memo.get('a', make), memo.get('none', make), memo.get('none', make)]).toEqual([
      'A',
      'A',
      null,
      null,
    ]);
    expect(made).toEqual(['a', 'none']);
    memo.get('b', make);
    expect(memo.size).toBe(3);
    // A fourth key empties it first: it holds only the new one, and 'a' is made again.
    expect(memo.get('c', make)).toBe('C');
    expect(memo.size).toBe(1);
    expect(memo.get('a', make)).toBe('A');
    expect(made).toEqual(['a', 'none', 'b', 'c', 'a']);
  });
});

describe('BoundedMemo with number keys', () => {
  it('keeps numbers and their strings apart, and stays within its bound', () => {
    const memo = new BoundedMemo<string, number | string>(2);
    expect(memo.get(1, (k) => `number ${k}`)).toBe('number 1');
    expect(memo.get('1', (k) => `string ${k}`)).toBe('string 1');
    expect(memo.get(1, () => 'remade')).toBe('number 1');
    memo.get(2, String);
    expect(memo.size).toBe(1);
  });
});
