export * from './bounded-memo';
export * from './utc-day';
