import type { NormalizedUsage } from '@tollgate/schemas';
import { CATALOG_VERSION, type CatalogProvider, lookupCatalog } from './catalog';
import { costMicros } from './cost';
import { flatRate, type PriceSheet } from './price-sheet';

/** An admin's price for one (provider, model), in $ per million tokens. */
export interface PriceOverride {
  id: string;
  provider: string;
  model: string;
  input_per_mtok_usd: number;
  output_per_mtok_usd: number;
  cache_read_per_mtok_usd?: number | null;
  cache_write_per_mtok_usd?: number | null;
  updated_at: string;
  updated_by?: string | null;
}

/** Which price a cost came from; kept with every usage record. */
export type PriceSource = { kind: 'catalog'; version: string; modelId: string } | { kind: 'override'; id: string };

export interface ResolvedPrice {
  provider: string;
  /** The model as the caller named it (for Azure, the deployment). */
  model: string;
  /** The model whose price applies (Azure deployments map to models by configuration). */
  pricedModel: string;
  sheet: PriceSheet;
  source: PriceSource;
  contextWindow?: number;
}

export interface PricerOptions {
  /** Azure deployment name → model name. */
  azureDeployments?: Readonly<Record<string, string>>;
  /** The current overrides; called on every resolve, so it must be cheap (an in-memory snapshot). */
  overrides?: () => readonly PriceOverride[];
  now?: () => number;
}

export function overrideSheet(o: PriceOverride): PriceSheet {
  return {
    input: flatRate(o.input_per_mtok_usd),
    output: flatRate(o.output_per_mtok_usd),
    ...(o.cache_read_per_mtok_usd != null && { cacheRead: flatRate(o.cache_read_per_mtok_usd) }),
    ...(o.cache_write_per_mtok_usd != null && { cacheWrite: flatRate(o.cache_write_per_mtok_usd) }),
  };
}

const CACHE_MS = 60 * 60_000;
const CACHE_MAX = 2_000;

export function createPricer(options: PricerOptions = {}) {
  const now = options.now ?? Date.now;
  const deployments = options.azureDeployments ?? {};
  const catalogCache = new Map<string, { value: ReturnType<typeof lookupCatalog>; until: number }>();

  function catalog(provider: CatalogProvider, model: string) {
    const key = `${provider}\u0000${model}`;
    const t = now();
    const hit = catalogCache.get(key);
    if (hit && hit.until > t) return hit.value;
    const value = lookupCatalog(provider, model, new Date(t));
    // Model names come from callers: bound the cache so they cannot grow it without limit.
    if (catalogCache.size >= CACHE_MAX) catalogCache.clear();
    catalogCache.set(key, { value, until: t + CACHE_MS });
    return value;
  }

  /** The price for a call, or null when the model has neither an override nor a catalog price. */
  function resolve(provider: string, model: string): ResolvedPrice | null {
    const pricedModel = provider === 'azure' ? (deployments[model] ?? model) : model;
    const overrides = options.overrides?.() ?? [];
    const override =
      overrides.find((o) => o.provider === provider && o.model === model) ??
      overrides.find((o) => o.provider === provider && o.model === pricedModel);
    if (override) {
      return {
        provider,
        model,
        pricedModel,
        sheet: overrideSheet(override),
        source: { kind: 'override', id: override.id },
      };
    }
    if (provider !== 'openai' && provider !== 'azure' && provider !== 'anthropic') return null;
    const entry = catalog(provider, pricedModel);
    if (!entry) return null;
    return {
      provider,
      model,
      pricedModel,
      sheet: entry.sheet,
      source: { kind: 'catalog', version: CATALOG_VERSION, modelId: entry.modelId },
      ...(entry.contextWindow !== undefined && { contextWindow: entry.contextWindow }),
    };
  }

  return {
    resolve,
    cost: (price: ResolvedPrice, usage: NormalizedUsage) => costMicros(price.sheet, usage),
  };
}

export type Pricer = ReturnType<typeof createPricer>;
