/**
 * Money is integer micro-USD (µ$) everywhere it is stored or summed: 1 USD = 1_000_000 µ$.
 * Dollars exist only at the edges (config input, JSON output).
 */
export type Micros = number;

export const MICROS_PER_USD = 1_000_000;

/** Parses a dollar amount (number or decimal string) into µ$, rounding to the nearest µ$. */
export function usdToMicros(usd: number | string): Micros {
  const value = typeof usd === 'string' ? Number(usd.trim()) : usd;
  if (!Number.isFinite(value)) throw new RangeError(`not a finite dollar amount: ${String(usd)}`);
  // Round via a decimal string so 0.1 + float noise never becomes 99_999.
  return Math.round(Number((value * MICROS_PER_USD).toFixed(3)));
}

/** µ$ → dollars as a JSON number with at most 6 decimals (exact for every integer µ$ < 2^53). */
export function microsToUsd(micros: Micros): number {
  // For an integer the quotient is already the double nearest the exact decimal, which is what
  // the toFixed round trip yields too (money.test.ts checks this), at a fraction of the cost.
  if (Number.isSafeInteger(micros)) return micros / MICROS_PER_USD || 0; // -0 reads as 0
  return Number((micros / MICROS_PER_USD).toFixed(6));
}

/** A percentage with at most 2 decimals; 0 when the denominator is 0. */
export function percent(part: number, whole: number): number {
  if (whole <= 0) return part > 0 ? 100 : 0;
  return Math.round((part / whole) * 10_000) / 100;
}
