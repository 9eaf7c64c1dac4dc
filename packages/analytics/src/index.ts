export type { UsageEvent } from './event';
export { bucketOf, bucketUpperMs, quantile } from './histogram';
export { dayOf, dims, minuteOf, usageKeys } from './keys';
export {
  createUsageQueries,
  type DayTotals,
  type IndexName,
  mergeTotals,
  percentiles,
  type RecentFilters,
  type Totals,
  type UsageQueries,
} from './queries';
export { createUsageRecorder, type UsageRecorder, type UsageRecorderOptions } from './recorder';
