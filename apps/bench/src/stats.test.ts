import { describe, expect, it } from 'vitest';
import { median, percentile } from './stats';

describe('median', () => {
  it('is the middle value, or the mean of the middle two, whatever the order', () => {
    expect(median([281, 244, 260])).toBe(260);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('leaves its input as it was', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('percentile', () => {
  const sorted = Array.from({ length: 200 }, (_, i) => i + 1);

  it('is the nearest-rank value of sorted values', () => {
    expect(percentile(sorted, 50)).toBe(100);
    expect(percentile(sorted, 99)).toBe(198);
    expect(percentile(sorted, 100)).toBe(200);
    expect(percentile([0.25, 1.5, 52.75], 50)).toBe(1.5);
  });

  it('is the lowest value for a tiny p, and NaN for no values', () => {
    expect(percentile(sorted, 0.001)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });
});
