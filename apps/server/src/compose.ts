import type { AlertThresholds, Webhook } from '@tollgate/alerts';
import { type ApiDeps, createApiDeps } from '@tollgate/api';
import { type Authenticate, createAuthenticator, createFailureLimiter } from '@tollgate/auth';
import { createLangSmithPromptHub } from '@tollgate/prompts';
import { createProviders, DEFAULT_RETRY } from '@tollgate/providers';
import { usdToMicros } from '@tollgate/schemas';
import { createMemoryStore, createRedisStore, type Store } from '@tollgate/store';
import { createTracing, type Tracing } from '@tollgate/tracing';
import type { Config } from './env';
import { createMetrics, type Metrics } from './metrics';
import { createUpstreamFetch } from './upstream/fetch';

export function createStore(config: Config): Store {
  if (!config.REDIS_URL) return createMemoryStore();
  return createRedisStore({
    url: config.REDIS_URL,
    cluster: config.REDIS_CLUSTER,
    commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
    ...(config.REDIS_KEY_PREFIX && { keyPrefix: config.REDIS_KEY_PREFIX }),
  });
}

export interface Composition {
  deps: ApiDeps;
  authenticate: Authenticate;
  tracing: Tracing;
  /** null when METRICS_ENABLED=false. */
  metrics: Metrics | null;
}

/** The alert rules' thresholds as configured (admins change them at run time). */
export function alertThresholdsFrom(config: Config): AlertThresholds {
  const window = { window_minutes: config.ALERT_WINDOW_MINUTES, min_requests: config.ALERT_MIN_REQUESTS };
  return {
    error_rate: { enabled: true, percent: config.ALERT_ERROR_RATE_PERCENT, ...window },
    latency_p95: { enabled: true, ms: config.ALERT_P95_LATENCY_MS, ...window },
    daily_spend: { enabled: true, micros: usdToMicros(config.ALERT_DAILY_SPEND_USD) },
    user_spend_anomaly: {
      enabled: true,
      factor: config.ALERT_USER_SPEND_FACTOR,
      min_micros: usdToMicros(config.ALERT_USER_SPEND_MIN_USD),
    },
    provider_failures: {
      enabled: true,
      percent: config.ALERT_PROVIDER_ERROR_RATE_PERCENT,
      window_minutes: 5,
      min_requests: 10,
      consecutive: config.ALERT_PROVIDER_CONSECUTIVE_FAILURES,
    },
  };
}

function webhooksFrom(config: Config): Webhook[] {
  return [
    ...config.ALERT_WEBHOOK_URLS.map((url) => ({ url, format: 'json' as const })),
    ...config.ALERT_SLACK_WEBHOOK_URLS.map((url) => ({ url, format: 'slack' as const })),
  ];
}

export function tracingFrom(config: Config, onError?: (error: unknown) => void): Tracing {
  return createTracing(
    {
      enabled: config.LANGSMITH_TRACING_ENABLED,
      apiKey: config.LANGSMITH_API_KEY,
      project: config.LANGSMITH_PROJECT,
      endpoint: config.LANGSMITH_ENDPOINT,
      workspaceId: config.LANGSMITH_WORKSPACE_ID,
      samplingRate: config.LANGSMITH_TRACING_SAMPLING_RATE,
      hideInputs: config.LANGSMITH_HIDE_INPUTS,
      hideOutputs: config.LANGSMITH_HIDE_OUTPUTS,
      timeoutMs: config.LANGSMITH_TIMEOUT_MS,
      uiUrl: config.LANGSMITH_UI_URL,
    },
    // The same lean fetch as the providers: batch uploads are on this process's CPU too.
    { fetch: createUpstreamFetch({ maxSocketsPerHost: 8 }), ...(onError && { onError }) },
  );
}

export interface ComposeHooks {
  onFailOpen?: (error: unknown) => void;
  onError?: (error: unknown) => void;
}

/** Providers with credentials in the configuration; base URLs come only from here, never from a request. */
export function providersFrom(config: Config) {
  return createProviders({
    // A provider may go silent mid-body as long as the gateway would wait for the call anyway: a
    // reasoning model can think for minutes between a stream's first bytes and its next.
    fetch: createUpstreamFetch({
      bodyIdleTimeoutMs: Math.max(config.PROVIDER_TIMEOUT_MS, config.STREAM_MAX_DURATION_MS),
    }),
    ...(config.OPENAI_API_KEY && { openai: { apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL } }),
    ...(config.AZURE_OPENAI_API_KEY &&
      config.AZURE_OPENAI_ENDPOINT && {
        azure: {
          apiKey: config.AZURE_OPENAI_API_KEY,
          endpoint: config.AZURE_OPENAI_ENDPOINT,
          apiVersion: config.AZURE_OPENAI_API_VERSION,
        },
      }),
    ...(config.ANTHROPIC_API_KEY && {
      anthropic: { apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL },
    }),
  });
}

/** The composition root: the one place that turns configuration into wired domain objects. */
export function compose(config: Config, store: Store, hooks: ComposeHooks = {}): Composition {
  const tracing = tracingFrom(config, hooks.onError);
  let deps: ApiDeps | undefined;
  const metrics = config.METRICS_ENABLED
    ? createMetrics({
        droppedTraces: () => tracing.stats().dropped,
        pendingSettles: () => deps?.settleOutbox.pending() ?? 0,
      })
    : null;
  deps = createApiDeps({
    tracer: tracing.completionTracer,
    tracingHealth: () => tracing.health(),
    store,
    limits: {
      userDailyMicros: usdToMicros(config.AI_USER_DAILY_SPEND_LIMIT_USD),
      userMonthlyMicros:
        config.AI_USER_MONTHLY_SPEND_LIMIT_USD === undefined
          ? null
          : usdToMicros(config.AI_USER_MONTHLY_SPEND_LIMIT_USD),
      systemMonthlyMicros: usdToMicros(config.AI_MONTHLY_SPEND_LIMIT_USD),
    },
    costTracking: config.AI_COST_TRACKING_ENABLED,
    azureDeployments: config.AZURE_OPENAI_DEPLOYMENTS,
    failureMode: config.SPEND_FAILURE_MODE,
    leaseTtlMs: config.STREAM_MAX_DURATION_MS + 60_000,
    providers: providersFrom(config),
    completions: {
      defaults: {
        provider: config.DEFAULT_PROVIDER,
        models: {
          openai: config.OPENAI_DEFAULT_MODEL,
          anthropic: config.ANTHROPIC_DEFAULT_MODEL,
          ...(config.AZURE_OPENAI_DEFAULT_DEPLOYMENT && { azure: config.AZURE_OPENAI_DEFAULT_DEPLOYMENT }),
        },
      },
      timeoutMs: config.PROVIDER_TIMEOUT_MS,
      streamMaxMs: config.STREAM_MAX_DURATION_MS,
      retry: { ...DEFAULT_RETRY, maxRetries: config.PROVIDER_MAX_RETRIES },
    },
    ...(metrics && { observer: metrics.observer }),
    promptHub: config.LANGSMITH_API_KEY
      ? createLangSmithPromptHub({
          apiKey: config.LANGSMITH_API_KEY,
          apiUrl: config.LANGSMITH_ENDPOINT,
          workspaceId: config.LANGSMITH_WORKSPACE_ID,
        })
      : null,
    alerts: {
      thresholds: alertThresholdsFrom(config),
      webhooks: webhooksFrom(config),
      cooldownMs: config.ALERT_COOLDOWN_MS,
    },
    ...(hooks.onFailOpen && { onFailOpen: hooks.onFailOpen }),
    ...(hooks.onError && { onError: hooks.onError }),
  });
  const failures = createFailureLimiter({ store, maxFailures: config.AUTH_MAX_FAILURES });
  const authenticate = createAuthenticator({
    apiKeys: deps.apiKeys,
    failures,
    ...(config.ADMIN_TOKEN && { adminToken: config.ADMIN_TOKEN }),
    ...(config.AUTH_JWT_SECRET && {
      jwt: {
        secret: config.AUTH_JWT_SECRET,
        ...(config.AUTH_JWT_ISSUER && { issuer: config.AUTH_JWT_ISSUER }),
        ...(config.AUTH_JWT_AUDIENCE && { audience: config.AUTH_JWT_AUDIENCE }),
      },
    }),
  });
  return { deps, authenticate, tracing, metrics };
}
