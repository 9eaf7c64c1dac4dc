import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf, bucketUpperMs } from './histogram';

describe('latency buckets', () => {
  it('run from 0 to BUCKETS - 1, in order, each upper edge at or above the latencies it holds', () => {
    let previous = 0;
    for (const ms of [0, 1, 2, 3, 10, 250, 1_000, 60_000, 3_600_000, 2 ** 31.75, 1e12, Number.MAX_VALUE]) {
      const bucket = bucketOf(ms);
      expect(bucket).toBeGreaterThanOrEqual(previous);
      expect(bucket).toBeLessThan(BUCKETS);
      if (bucket < BUCKETS - 1) expect(bucketUpperMs(bucket)).toBeGreaterThanOrEqual(Math.floor(ms));
      previous = bucket;
    }
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(1e12)).toBe(BUCKETS - 1);
  });
});
