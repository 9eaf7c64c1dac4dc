export { TollgateProvider, useTollgate } from './context';
export { SpendMeter, type SpendMeterProps, SpendMeterView } from './spend-meter';
export { useSpendLimit } from './use-spend-limit';
