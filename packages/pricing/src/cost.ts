import type { NormalizedUsage } from '@tollgate/schemas';
import { PICOS_PER_MICRO, type PriceSheet, rateAt } from './price-sheet';

/**
 * Exact cost in integer micro-USD, rounded up once per call. Computed in BigInt p$, so no
 * float ever touches money.
 */
export function costMicros(sheet: PriceSheet, usage: NormalizedUsage): number {
  const n = usage.inputTokens;
  const cacheRead = Math.min(usage.cacheReadTokens, n);
  const cacheWrite = Math.min(usage.cacheWriteTokens, n - cacheRead);
  const uncached = n - cacheRead - cacheWrite;
  const picos =
    BigInt(uncached) * BigInt(rateAt(sheet.input, n)) +
    BigInt(cacheRead) * BigInt(rateAt(sheet.cacheRead ?? sheet.input, n)) +
    BigInt(cacheWrite) * BigInt(rateAt(sheet.cacheWrite ?? sheet.input, n)) +
    BigInt(usage.outputTokens) * BigInt(rateAt(sheet.output, n));
  return Number((picos + PICOS_PER_MICRO - 1n) / PICOS_PER_MICRO);
}

/**
 * The most a call can cost: `inputTokens` uncached at the input rate plus `outputTokens` at the
 * output rate. Reservations use it, so a settled call never costs more than it reserved when
 * the estimate of input tokens holds.
 */
export function worstCaseMicros(sheet: PriceSheet, inputTokens: number, outputTokens: number): number {
  return costMicros(sheet, { inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
}

/** How many output tokens `budgetMicros` affords after the input, at the highest output rate. */
export function affordableOutputTokens(sheet: PriceSheet, inputTokens: number, budgetMicros: number): number {
  const inputCost = worstCaseMicros(sheet, inputTokens, 0);
  const left = BigInt(Math.max(0, budgetMicros - inputCost)) * PICOS_PER_MICRO;
  const outRate = BigInt(Math.max(1, rateAt(sheet.output, inputTokens)));
  return Number(left / outRate);
}
