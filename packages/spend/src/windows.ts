import { DAY_MS, perUtcDay } from '@tollgate/memo';

/** UTC spend windows. Counters are keyed by window, so a new day or month is simply a new key. */
export interface Windows {
  /** YYYYMMDD, UTC. */
  day: string;
  /** YYYYMM, UTC. */
  month: string;
  /** Epoch ms of the next UTC midnight. */
  dayResetsAt: number;
  /** Epoch ms of the first instant of the next UTC month. */
  monthResetsAt: number;
  /** Unix seconds after which the day's keys may vanish (two days of slack for late settles). */
  dayExpireAtSec: number;
  /** Unix seconds after which the month's keys may vanish (35 days of slack). */
  monthExpireAtSec: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The windows `nowMs` falls in (worked out once a day: nearly every call falls in the same UTC day). */
export const windowsAt: (nowMs: number) => Windows = perUtcDay(computeWindows);

function computeWindows(nowMs: number): Windows {
  const d = new Date(nowMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const dayStart = Date.UTC(y, m, d.getUTCDate());
  const monthResetsAt = Date.UTC(y, m + 1, 1);
  return Object.freeze({
    day: `${y}${pad(m + 1)}${pad(d.getUTCDate())}`,
    month: `${y}${pad(m + 1)}`,
    dayResetsAt: dayStart + DAY_MS,
    monthResetsAt,
    dayExpireAtSec: Math.floor((dayStart + 3 * DAY_MS) / 1000),
    monthExpireAtSec: Math.floor((monthResetsAt + 35 * DAY_MS) / 1000),
  });
}

/** Expire-at (unix s) of the keys of day `YYYYMMDD`: two days after it ends. */
export function dayExpireAtSec(day: string): number {
  const start = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8)));
  return Math.floor((start + 3 * DAY_MS) / 1000);
}

/** Expire-at (unix s) of the keys of month `YYYYMM`: 35 days after it ends. */
export function monthExpireAtSec(month: string): number {
  const next = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(4, 6)), 1);
  return Math.floor((next + 35 * DAY_MS) / 1000);
}

/** The windows of a given day and month (as stored with a reservation), for status reporting. */
export function windowsOf(day: string, month: string, nowMs: number): Windows {
  const current = windowsAt(nowMs);
  if (current.day === day && current.month === month) return current;
  const dayStart = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8)));
  return windowsAt(Math.max(dayStart, Date.UTC(Number(month.slice(0, 4)), Number(month.slice(4, 6)) - 1, 1)));
}
