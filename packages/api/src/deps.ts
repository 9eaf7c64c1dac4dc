import {
  type AlertThresholds,
  createAlertEngine,
  createAlertSettings,
  createWebhookNotifier,
  type Webhook,
} from '@tollgate/alerts';
import { createUsageQueries, createUsageRecorder, type UsageRecorder } from '@tollgate/analytics';
import { createApiKeyRepo } from '@tollgate/auth';
import { createPricer } from '@tollgate/pricing';
import { createPromptRepo, type PromptHub } from '@tollgate/prompts';
import { type ChatProvider, DEFAULT_RETRY } from '@tollgate/providers';
import type { ProviderId } from '@tollgate/schemas';
import { createLimitSettings, createSettleOutbox, createSpendLedger, type DefaultLimits } from '@tollgate/spend';
import type { Store } from '@tollgate/store';
import { type CompletionTracer, noopTracer } from './completion/tracer';
import { type ApiDeps, type CompletionObserver, type CompletionSettings, noopObserver } from './context';
import { createPriceOverrides } from './services/price-overrides';

export interface ApiDepsOptions {
  store: Store;
  limits: DefaultLimits;
  costTracking?: boolean;
  azureDeployments?: Readonly<Record<string, string>>;
  failureMode?: 'closed' | 'open';
  leaseTtlMs?: number;
  now?: () => number;
  onFailOpen?: (error: unknown) => void;
  providers?: Partial<Record<ProviderId, ChatProvider>>;
  completions?: Partial<CompletionSettings>;
  tracer?: CompletionTracer;
  tracingHealth?: ApiDeps['tracingHealth'];
  usage?: Pick<UsageRecorder, 'submit'> & Partial<Pick<UsageRecorder, 'flush'>>;
  onError?: (error: unknown) => void;
  onRetry?: ApiDeps['onRetry'];
  observer?: CompletionObserver;
  promptHub?: PromptHub | null;
  alerts?: {
    thresholds?: AlertThresholds;
    webhooks?: readonly Webhook[];
    cooldownMs?: number;
    fetch?: typeof fetch;
  };
}

/** Wires the domain packages the routers use. The server calls it with configuration; tests with fixtures. */
export function createApiDeps(options: ApiDepsOptions): ApiDeps {
  const { store } = options;
  const ledger = createSpendLedger({
    store,
    limits: options.limits,
    failureMode: options.failureMode ?? 'closed',
    ...(options.leaseTtlMs !== undefined && { leaseTtlMs: options.leaseTtlMs }),
    ...(options.now && { now: options.now }),
    ...(options.onFailOpen && { onFailOpen: options.onFailOpen }),
  });
  const analytics = createUsageQueries({ store, ...(options.now && { now: options.now }) });
  const alertSettings = createAlertSettings(store, options.alerts?.thresholds);
  const alertEngine = createAlertEngine({
    store,
    queries: analytics,
    settings: alertSettings,
    notifier: createWebhookNotifier({
      webhooks: options.alerts?.webhooks ?? [],
      ...(options.alerts?.fetch && { fetch: options.alerts.fetch }),
      ...(options.onError && { onError: options.onError }),
    }),
    ...(options.alerts?.cooldownMs !== undefined && { cooldownMs: options.alerts.cooldownMs }),
    ...(options.now && { now: options.now }),
    ...(options.onError && { onError: options.onError }),
  });
  const priceOverrides = createPriceOverrides({ store, ...(options.now && { now: options.now }) });
  return {
    store,
    apiKeys: createApiKeyRepo({ store, ...(options.now && { now: options.now }) }),
    priceOverrides,
    pricer: createPricer({
      overrides: priceOverrides.current,
      ...(options.azureDeployments && { azureDeployments: options.azureDeployments }),
      ...(options.now && { now: options.now }),
    }),
    ledger,
    limits: createLimitSettings(store, options.limits),
    costTracking: options.costTracking ?? true,
    providers: options.providers ?? {},
    completions: {
      defaults: { models: { openai: 'gpt-4o-mini', anthropic: 'claude-3-5-haiku-latest' } },
      timeoutMs: 120_000,
      streamMaxMs: 10 * 60_000,
      retry: DEFAULT_RETRY,
      azureDeployments: options.azureDeployments,
      ...(options.now && { now: options.now }),
      ...options.completions,
    },
    settleOutbox: createSettleOutbox({ ledger, ...(options.onError && { onError: options.onError }) }),
    usage: options.usage ?? createUsageRecorder({ store, ...(options.onError && { onError: options.onError }) }),
    analytics,
    alerts: { engine: alertEngine, settings: alertSettings },
    prompts: createPromptRepo({ store, ...(options.now && { now: options.now }) }),
    promptHub: options.promptHub ?? null,
    observer: options.observer ?? noopObserver,
    tracer: options.tracer ?? noopTracer,
    tracingHealth:
      options.tracingHealth ??
      (async () => ({
        enabled: false,
        project: '',
        endpoint: '',
        connected: false,
        error: 'tracing is not configured',
        dropped_traces: 0,
        failed_uploads: 0,
        trace_url_template: null,
      })),
    ...(options.onError && { onError: options.onError }),
    ...(options.onRetry && { onRetry: options.onRetry }),
  };
}
