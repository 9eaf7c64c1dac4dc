/** Milliseconds in a UTC day (UTC has no daylight-saving shifts; leap seconds are not counted). */
export const DAY_MS = 86_400_000;

/**
 * `compute`, remembered for the UTC day last asked about. `compute` must depend only on the UTC
 * day of its argument; nearly every call on a hot path falls in the same day as the one before,
 * so it runs about once a day instead of once a call.
 */
export function perUtcDay<T>(compute: (ms: number) => T): (ms: number) => T {
  let from = 0;
  let to = 0;
  let value: T;
  return (ms) => {
    if (ms >= from && ms < to) return value;
    value = compute(ms);
    from = Math.floor(ms / DAY_MS) * DAY_MS;
    to = from + DAY_MS;
    return value;
  };
}
