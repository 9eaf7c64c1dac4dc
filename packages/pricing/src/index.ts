export { CATALOG_VERSION, type CatalogProvider, lookupCatalog } from './catalog';
export { affordableOutputTokens, costMicros, worstCaseMicros } from './cost';
export { type EstimatableMessage, estimateInputTokens, warmTokenizers } from './estimate';
export { DEFAULT_OUTPUT_LIMIT, outputLimit } from './output-limits';
export { flatRate, type PriceSheet, perMtokToPicos, picosToPerMtok, type Rate, rateAt } from './price-sheet';
export {
  createPricer,
  overrideSheet,
  type PriceOverride,
  type Pricer,
  type PricerOptions,
  type PriceSource,
  type ResolvedPrice,
} from './pricer';
