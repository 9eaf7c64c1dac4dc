import { z } from 'zod';

/** A dollar amount as callers send it: finite, non-negative, at most $1,000,000,000. */
export const usdAmountSchema = z.number().finite().min(0).max(1_000_000_000);

/** A token count as callers send it. */
export const tokenCountSchema = z.number().int().min(0).max(1_000_000_000);

/** Provider ids Tollgate knows. */
export const providerSchema = z.enum(['openai', 'azure', 'anthropic']);
export type ProviderId = z.infer<typeof providerSchema>;

/** Model names: no whitespace or control characters, at most 200 characters. */
export const modelNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\w.:/@+-]+$/, 'model names contain letters, digits and . _ : / @ + - only');

/** `?days=` of the analytics endpoints: an integer from 1 to 365. */
export const daysSchema = z.coerce.number().int().min(1).max(365);
