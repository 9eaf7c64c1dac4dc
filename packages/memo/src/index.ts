export * from './bounded-memo';
export * from './iso-time';
export * from './utc-day';
