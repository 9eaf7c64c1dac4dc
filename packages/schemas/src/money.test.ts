import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { microsToUsd, percent, usdToMicros } from './money';

describe('money', () => {
  it('converts common dollar amounts exactly', () => {
    expect(usdToMicros(5)).toBe(5_000_000);
    expect(usdToMicros('1000.0')).toBe(1_000_000_000);
    expect(usdToMicros(0.1)).toBe(100_000);
    expect(usdToMicros(0.000001)).toBe(1);
    expect(() => usdToMicros('abc')).toThrow(RangeError);
  });

  it('gives integers the same dollars as rounding to six decimals would, up to 2^53', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (m) => {
        expect(microsToUsd(m)).toBe(Number((m / 1_000_000).toFixed(6)));
        expect(microsToUsd(-m)).toBe(Number((-m / 1_000_000).toFixed(6)));
      }),
      { numRuns: 20_000 },
    );
    for (const m of [0, 1, 999_999, 1_000_001, 123_456_789, 2 ** 53 - 1]) {
      expect(microsToUsd(m)).toBe(Number((m / 1_000_000).toFixed(6)));
    }
  });

  it('round-trips every integer micro amount through dollars', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (m) => {
        expect(usdToMicros(microsToUsd(m))).toBe(m);
      }),
    );
  });

  it('keeps at most 6 decimals and 2 for percentages', () => {
    expect(microsToUsd(1_234_567)).toBe(1.234567);
    expect(percent(1, 3)).toBe(33.33);
    expect(percent(0, 0)).toBe(0);
  });
});
