export { counterKeys, spendKeys } from './keys';
export {
  createSpendLedger,
  type DefaultLimits,
  type Reservation,
  type ReserveOutcome,
  type ResetAuditRecord,
  type SpendLedger,
  type SpendLedgerOptions,
} from './ledger';
export {
  describeLimitStatus,
  type LimitLevel,
  type LimitScope,
  type LimitStatus,
  WARNING_PERCENT,
  type WindowFigures,
} from './limit-status';
export {
  createLimitSettings,
  type EffectiveDefaults,
  type LimitChange,
  type LimitSettings,
  type UserLimitOverride,
} from './limits';
export { createSettleOutbox, type SettleOutbox, type SettleOutboxOptions } from './outbox';
export { reserveScript } from './scripts/reserve';
export { resetScript } from './scripts/reset';
export { settleScript } from './scripts/settle';
export { statusScript } from './scripts/status';
export { dayExpireAtSec, monthExpireAtSec, type Windows, windowsAt } from './windows';
