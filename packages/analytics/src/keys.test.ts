import { describe, expect, it } from 'vitest';
import { dayOf } from './keys';

describe('dayOf', () => {
  it('names the UTC day of each instant, back and forth across midnight', () => {
    const midnight = Date.UTC(2026, 11, 5);
    expect(dayOf(midnight - 1)).toBe('20261204');
    expect(dayOf(midnight)).toBe('20261205');
    expect(dayOf(midnight - 1)).toBe('20261204');
    expect(dayOf(Date.UTC(2027, 0, 1, 0, 0, 0, 1))).toBe('20270101');
    expect(dayOf(Date.UTC(1999, 11, 31, 23, 59, 59, 999))).toBe('19991231');
    expect(dayOf(midnight + 86_399_999)).toBe('20261205');
  });
});
