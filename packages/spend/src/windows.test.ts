import { describe, expect, it } from 'vitest';
import { dayExpireAtSec, monthExpireAtSec, windowsAt } from './windows';

describe('windowsAt', () => {
  it('names the windows of each instant, back and forth across a midnight that ends a month and a year', () => {
    const midnight = Date.UTC(2027, 0, 1);
    const before = windowsAt(midnight - 1);
    expect(before).toEqual({
      day: '20261231',
      month: '202612',
      dayResetsAt: midnight,
      monthResetsAt: midnight,
      dayExpireAtSec: dayExpireAtSec('20261231'),
      monthExpireAtSec: monthExpireAtSec('202612'),
    });
    // The day's windows are remembered; the next instant past midnight must not get them.
    expect(windowsAt(midnight)).toMatchObject({ day: '20270101', month: '202701', dayResetsAt: midnight + 86_400_000 });
    expect(windowsAt(midnight - 1)).toEqual(before);
    expect(windowsAt(Date.UTC(2026, 11, 31, 12))).toBe(windowsAt(midnight - 86_400_000));
    expect(windowsAt(Date.UTC(2028, 1, 29, 23, 59, 59, 999))).toMatchObject({
      day: '20280229',
      month: '202802',
      monthResetsAt: Date.UTC(2028, 2, 1),
    });
  });
});
