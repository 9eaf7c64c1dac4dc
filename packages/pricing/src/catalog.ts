import { calcPrice, type ModelPrice, type TieredPrices } from '@pydantic/genai-prices';
import { type PriceSheet, perMtokToPicos, type Rate } from './price-sheet';

/** The bundled catalog's version; recorded with every usage priced from it. */
export const CATALOG_VERSION = 'genai-prices@0.1.8';

export type CatalogProvider = 'openai' | 'azure' | 'anthropic';

export interface CatalogEntry {
  /** The catalog's canonical model id (e.g. `claude-3-5-sonnet` for `claude-3-5-sonnet-latest`). */
  modelId: string;
  sheet: PriceSheet;
  /** Context window in tokens, when the catalog knows it. */
  contextWindow?: number;
}

function toRate(value: number | TieredPrices | undefined): Rate | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return { base: perMtokToPicos(value), tiers: [] };
  return {
    base: perMtokToPicos(value.base),
    tiers: value.tiers
      .map((t) => ({ start: t.start, price: perMtokToPicos(t.price) }))
      .sort((a, b) => a.start - b.start),
  };
}

function toSheet(price: ModelPrice): PriceSheet | null {
  const input = toRate(price.input_mtok);
  const output = toRate(price.output_mtok);
  if (!input || !output) return null;
  const cacheRead = toRate(price.cache_read_mtok);
  const cacheWrite = toRate(price.cache_write_mtok);
  return { input, output, ...(cacheRead && { cacheRead }), ...(cacheWrite && { cacheWrite }) };
}

/**
 * Looks a model up in the bundled catalog (never fetched at run time). The catalog resolves
 * aliases and date-conditional prices for `at`; the prices themselves are read as integers.
 */
export function lookupCatalog(provider: CatalogProvider, model: string, at: Date): CatalogEntry | null {
  const probe = calcPrice({ input_tokens: 1, output_tokens: 1 }, model, { providerId: provider, timestamp: at });
  if (!probe) return null;
  const sheet = toSheet(probe.model_price);
  if (!sheet) return null;
  return {
    modelId: probe.model.id,
    sheet,
    ...(probe.model.context_window !== undefined && { contextWindow: probe.model.context_window }),
  };
}
