/**
 * A model's prices as integers: pico-USD per token (1 $/Mtok = 1 µ$/token = 1_000_000 p$/token),
 * so catalog prices with up to six decimals in $/Mtok are exact and sums never see a float.
 */
export interface Rate {
  /** p$ per token below the first tier. */
  base: number;
  /** Whole-request tiers by input size: above `start` input tokens, every token costs `price`. */
  tiers: { start: number; price: number }[];
}

export interface PriceSheet {
  input: Rate;
  output: Rate;
  /** Defaults to the input rate when a model has no cache price. */
  cacheRead?: Rate;
  cacheWrite?: Rate;
}

export const PICOS_PER_MICRO = 1_000_000n;

/** $/Mtok (number) → p$/token (integer). */
export function perMtokToPicos(usdPerMtok: number): number {
  if (!Number.isFinite(usdPerMtok) || usdPerMtok < 0) throw new RangeError(`invalid price ${usdPerMtok}`);
  return Math.round(usdPerMtok * 1_000_000);
}

export function picosToPerMtok(picos: number): number {
  return picos / 1_000_000;
}

export function flatRate(usdPerMtok: number): Rate {
  return { base: perMtokToPicos(usdPerMtok), tiers: [] };
}

/** The p$/token a rate charges for a request with `inputTokens` input tokens. */
export function rateAt(rate: Rate, inputTokens: number): number {
  let price = rate.base;
  for (const tier of rate.tiers) if (inputTokens > tier.start) price = tier.price;
  return price;
}
