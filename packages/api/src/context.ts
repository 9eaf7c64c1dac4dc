import type { ApiKeyRepo, AuthResult } from '@tollgate/auth';
import type { Pricer } from '@tollgate/pricing';
import type { LimitSettings, SpendLedger } from '@tollgate/spend';
import type { Store } from '@tollgate/store';
import type { PriceOverrides } from './services/price-overrides';

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
}

export interface Context {
  deps: ApiDeps;
  /** Memoised per request: only procedures that need a principal pay for authentication. */
  authenticate: () => Promise<AuthResult>;
  requestId: string;
}

/** Builds a context without HTTP: used by the HTTP adapters, the REST adapter and tests alike. */
export function createContextInner(input: {
  deps: ApiDeps;
  authenticate: () => Promise<AuthResult>;
  requestId: string;
}): Context {
  let pending: Promise<AuthResult> | null = null;
  return {
    deps: input.deps,
    requestId: input.requestId,
    authenticate: () => {
      pending ??= input.authenticate();
      return pending;
    },
  };
}
