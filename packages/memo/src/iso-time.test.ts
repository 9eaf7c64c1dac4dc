import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { isoTime } from './iso-time';
import { DAY_MS } from './utc-day';

describe('isoTime', () => {
  it("is Date's toISOString at the edges of days, months, years and the format", () => {
    const edges = [
      0,
      1,
      999,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999), // a leap day's last millisecond
      Date.UTC(2024, 2, 1),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1),
      Date.UTC(2026, 11, 5, 9, 5, 7, 45),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(10_000, 0, 1), // +010000-01-01: Date's extended format
      -1, // 1969: Date's
      1.5, // not a whole millisecond: Date's
    ];
    for (const ms of edges) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });

  it("is Date's toISOString for any time, in any order across days", () => {
    fc.assert(
      fc.property(fc.integer({ min: -DAY_MS, max: Date.UTC(10_001, 0, 1) }), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it("makes each day's date part once, however the days alternate", async () => {
    // A fresh module, so its memo of days starts empty: the tests above fill it with random days,
    // and a memo that fills up here is cleared and makes some days again.
    vi.resetModules();
    const fresh = (await import('./iso-time')).isoTime;
    // A completion formats now, tomorrow's midnight and next month's first, call after call.
    const days = [Date.UTC(2031, 4, 9, 10, 0, 0, 1), Date.UTC(2031, 4, 10), Date.UTC(2031, 5, 1)];
    const times = Array.from({ length: 30 }, (_, i) => (days[i % 3] as number) + i);
    const expected = times.map((ms) => new Date(ms).toISOString());
    const toISOString = vi.spyOn(Date.prototype, 'toISOString');
    try {
      expect(times.map(fresh)).toEqual(expected);
      expect(toISOString.mock.calls.length).toBe(days.length);
    } finally {
      toISOString.mockRestore();
    }
  });
});
