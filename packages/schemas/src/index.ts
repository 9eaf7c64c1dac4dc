export * from './bounded-memo';
export * from './inputs';
export * from './money';
export * from './roles';
export * from './usage';
export * from './utc-day';
