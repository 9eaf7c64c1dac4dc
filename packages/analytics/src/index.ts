export type { UsageEvent } from './event';
export { bucketOf, bucketUpperMs, quantile } from './histogram';
export { dayOf, dims, usageKeys } from './keys';
export { createUsageRecorder, type UsageRecorder, type UsageRecorderOptions } from './recorder';
