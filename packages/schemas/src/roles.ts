import { z } from 'zod';

/**
 * user: acts as itself only. service: a trusted backend that may attribute calls to any user id
 * and report usage, but never calls admin procedures. admin: everything.
 */
export const roleSchema = z.enum(['user', 'service', 'admin']);
export type Role = z.infer<typeof roleSchema>;

/** User ids are opaque strings: digits, letters and a few separators, at most 128 chars. */
export const userIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@-]+$/, 'user id may contain letters, digits and . _ : @ - only');

/** Legacy clients send numeric user ids; accept numbers and normalise them to strings. */
export const userIdInputSchema = z
  .union([z.number().int().nonnegative(), z.string()])
  .transform((v) => String(v))
  .pipe(userIdSchema);
