import type { AlertEngine, AlertSettings } from '@tollgate/alerts';
import type { UsageEvent, UsageQueries, UsageRecorder } from '@tollgate/analytics';
import type { ApiKeyRepo, AuthResult } from '@tollgate/auth';
import type { Pricer } from '@tollgate/pricing';
import type { PromptHub, PromptRepo } from '@tollgate/prompts';
import type { ChatProvider, RetryPolicy } from '@tollgate/providers';
import type { ProviderId } from '@tollgate/schemas';
import type { LimitSettings, SettleOutbox, SpendLedger } from '@tollgate/spend';
import type { Store } from '@tollgate/store';
import type { CompletionDefaults } from './completion/target';
import type { CompletionTracer } from './completion/tracer';
import type { PriceOverrides } from './services/price-overrides';

export interface LangSmithHealth {
  enabled: boolean;
  project: string;
  endpoint: string;
  connected: boolean;
  error: string | null;
  /** Traces not sent because LangSmith was unhealthy. */
  dropped_traces: number;
  failed_uploads: number;
  trace_url_template: string | null;
}

export interface CompletionSettings {
  defaults: CompletionDefaults;
  /** Per attempt (non-streaming) or until a stream starts, ms. */
  timeoutMs: number;
  /** Longest a stream may run, ms. */
  streamMaxMs: number;
  retry: RetryPolicy;
  /** Azure deployment → model, for listing deployments as models. */
  azureDeployments?: Readonly<Record<string, string>> | undefined;
  now?: () => number;
}

/** What the completion path reports, for metrics. Implementations must be cheap and never throw. */
export interface CompletionObserver {
  /** A call that reached a provider finished; `upstreamMs` is the time spent waiting on it. */
  completed(event: UsageEvent, upstreamMs: number): void;
  /** A call refused by a spend limit, before any provider call. */
  refused(scope: string): void;
  /** A reservation was taken (+1) or settled/released (-1). */
  reservations(delta: 1 | -1): void;
  /** The spend store could not be reached. */
  storeError(): void;
}

export const noopObserver: CompletionObserver = {
  completed: () => {},
  refused: () => {},
  reservations: () => {},
  storeError: () => {},
};

/** What the routers need, built once by the server's composition root. */
export interface ApiDeps {
  store: Store;
  apiKeys: ApiKeyRepo;
  pricer: Pricer;
  priceOverrides: PriceOverrides;
  ledger: SpendLedger;
  limits: LimitSettings;
  /** AI_COST_TRACKING_ENABLED: price every call and enforce limits. */
  costTracking: boolean;
  providers: Partial<Record<ProviderId, ChatProvider>>;
  completions: CompletionSettings;
  settleOutbox: SettleOutbox;
  usage: Pick<UsageRecorder, 'submit'> & Partial<Pick<UsageRecorder, 'flush'>>;
  analytics: UsageQueries;
  tracer: CompletionTracer;
  alerts: { engine: AlertEngine; settings: AlertSettings };
  prompts: PromptRepo;
  /** LangSmith's prompt hub; null when LangSmith is not configured. */
  promptHub: PromptHub | null;
  /** Told what happened to each call and refusal (metrics); never throws. */
  observer: CompletionObserver;
  /** LangSmith health: enabled, project, endpoint, connected, error (and drop counters). */
  tracingHealth: () => Promise<LangSmithHealth>;
  /** Unexpected errors off the request path (settle, trace, record). */
  onError?: (error: unknown) => void;
  onRetry?: (provider: string, kind: string, delayMs: number) => void;
}

export interface Context {
  deps: ApiDeps;
  /** Which entry point the call came through, for traces and analytics. */
  entryPoint?: string | undefined;
  /** Sets a response header when the transport allows (REST, tRPC); no-op otherwise. */
  setHeader: (name: string, value: string) => void;
  /** Trace-propagation headers from the request. */
  traceHeaders?: Record<string, string> | undefined;
  /** Idempotency-Key header, when sent. */
  idempotencyKey?: string | undefined;
  /** Adds fields to the request's log line (who, which provider and model, cost); no-op outside HTTP. */
  annotate: (fields: Record<string, unknown>) => void;
  /** Memoised per request: only procedures that need a principal pay for authentication. */
  authenticate: () => Promise<AuthResult>;
  requestId: string;
}

/** Builds a context without HTTP: used by the HTTP adapters, the REST adapter and tests alike. */
export function createContextInner(input: {
  deps: ApiDeps;
  authenticate: () => Promise<AuthResult>;
  requestId: string;
  entryPoint?: string | undefined;
  setHeader?: ((name: string, value: string) => void) | undefined;
  traceHeaders?: Record<string, string> | undefined;
  idempotencyKey?: string | undefined;
  annotate?: ((fields: Record<string, unknown>) => void) | undefined;
}): Context {
  let pending: Promise<AuthResult> | null = null;
  return {
    deps: input.deps,
    requestId: input.requestId,
    entryPoint: input.entryPoint,
    setHeader: input.setHeader ?? (() => {}),
    traceHeaders: input.traceHeaders,
    idempotencyKey: input.idempotencyKey,
    annotate: input.annotate ?? (() => {}),
    authenticate: () => {
      pending ??= input.authenticate();
      return pending;
    },
  };
}
