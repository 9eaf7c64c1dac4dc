import { BoundedMemo } from './bounded-memo';
import { DAY_MS } from './utc-day';

/**
 * Date parts (`2026-12-05T`) by day number, each made once. Several days, not the last one: a
 * completion formats times on three (now, and its limits' resets tomorrow and next month), so
 * remembering one day remade it on nearly every call.
 */
const dateParts = new BoundedMemo<string, number>(64);
const makeDatePart = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 11);

const LAST = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z: later years change the format

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * `new Date(ms).toISOString()`, at a fifth of its cost: on Node 20 that takes ~0.5 µs, and a
 * completion formats four times (its runs' start and end, its limits' resets). The date part is
 * made once per day; the time is worked out here. Other values (before 1970, after 9999, not whole
 * milliseconds) go to Date.
 */
export function isoTime(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > LAST) return new Date(ms).toISOString();
  let rest = ms % DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1_000);
  const millis = rest - seconds * 1_000;
  const milli = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : `${millis}`;
  return `${dateParts.get(Math.floor(ms / DAY_MS), makeDatePart)}${two(hours)}:${two(minutes)}:${two(seconds)}.${milli}Z`;
}
