import { describe, expect, it } from 'vitest';
import { DAY_MS, perUtcDay } from './utc-day';

describe('perUtcDay', () => {
  it('computes once per UTC day, and again for each other day asked, back and forth across midnight', () => {
    const computed: number[] = [];
    const dayOf = perUtcDay((ms) => {
      computed.push(ms);
      return new Date(ms).toISOString().slice(0, 10);
    });
    const midnight = Date.UTC(2026, 11, 5);
    expect(dayOf(midnight + 1)).toBe('2026-12-05');
    expect(dayOf(midnight + DAY_MS - 1)).toBe('2026-12-05');
    expect(dayOf(midnight)).toBe('2026-12-05');
    expect(computed).toHaveLength(1);
    expect(dayOf(midnight - 1)).toBe('2026-12-04');
    expect(dayOf(midnight)).toBe('2026-12-05');
    expect(dayOf(midnight + DAY_MS)).toBe('2026-12-06');
    expect(computed).toHaveLength(4);
  });

  it('keeps one memo per function', () => {
    const a = perUtcDay(() => 'a');
    const b = perUtcDay(() => 'b');
    expect([a(0), b(0), a(1)]).toEqual(['a', 'b', 'a']);
  });
});
