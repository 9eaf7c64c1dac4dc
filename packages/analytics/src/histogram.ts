// Latency histogram with logarithmic buckets: four per doubling (≈19 % wide), so p50/p95/p99 can
// be computed from summed counts over any number of days with bounded error and bounded size.

/** Buckets 0 to 127: the last holds everything from ~42 days (2^(127/4) ms) up. */
export const BUCKETS = 128;

/** The bucket of a latency in ms. */
export function bucketOf(ms: number): number {
  return ms <= 1 ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log2(ms) * 4));
}

/** Upper edge of a bucket, in ms (a conservative value to report for a percentile). */
export function bucketUpperMs(bucket: number): number {
  return bucket === 0 ? 1 : Math.round(2 ** ((bucket + 1) / 4));
}

/** The q-th quantile (0..1) from bucket counts; null when there is no data. */
export function quantile(counts: ReadonlyMap<number, number>, q: number): number | null {
  let total = 0;
  for (const c of counts.values()) total += c;
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (const bucket of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(bucket) ?? 0;
    if (seen >= rank) return bucketUpperMs(bucket);
  }
  return null;
}
