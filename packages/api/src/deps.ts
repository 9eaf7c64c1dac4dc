import { createApiKeyRepo } from '@tollgate/auth';
import { createPricer } from '@tollgate/pricing';
import { createLimitSettings, createSpendLedger, type DefaultLimits } from '@tollgate/spend';
import type { Store } from '@tollgate/store';
import type { ApiDeps } from './context';
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
}

/** Wires the domain packages the routers use. The server calls it with configuration; tests with fixtures. */
export function createApiDeps(options: ApiDepsOptions): ApiDeps {
  const { store } = options;
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
    ledger: createSpendLedger({
      store,
      limits: options.limits,
      failureMode: options.failureMode ?? 'closed',
      ...(options.leaseTtlMs !== undefined && { leaseTtlMs: options.leaseTtlMs }),
      ...(options.now && { now: options.now }),
      ...(options.onFailOpen && { onFailOpen: options.onFailOpen }),
    }),
    limits: createLimitSettings(store, options.limits),
    costTracking: options.costTracking ?? true,
  };
}
