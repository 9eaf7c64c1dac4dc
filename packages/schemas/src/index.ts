export * from './inputs';
export * from './money';
export * from './roles';
export * from './usage';
