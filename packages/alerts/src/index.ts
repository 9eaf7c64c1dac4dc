export {
  type AlertEngine,
  type AlertEngineOptions,
  type AlertHistoryEntry,
  type AlertState,
  createAlertEngine,
} from './engine';
export { type AlertNotification, createWebhookNotifier, type Notifier, type Webhook } from './notifier';
export {
  type AlertRuleId,
  type AlertThresholds,
  DEFAULT_THRESHOLDS,
  evaluateRules,
  type Finding,
  RULE_DESCRIPTIONS,
  type UsageSnapshot,
} from './rules';
export { type AlertSettings, createAlertSettings } from './settings';
export { readSnapshot } from './snapshot';
