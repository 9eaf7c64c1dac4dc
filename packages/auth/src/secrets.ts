import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

// `hash` is the one-shot form of createHash (Node ≥ 20.12): half the cost on every request's auth.
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

/** Hashing first makes lengths equal, so timingSafeEqual never throws and leaks no length. */
export function constantTimeEquals(a: string, b: string): boolean {
  return timingSafeEqual(hash('sha256', a, 'buffer'), hash('sha256', b, 'buffer'));
}

export const API_KEY_PREFIX = 'tg_';

/** 256 random bits, URL-safe: `tg_` + 43 characters. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}
