import type { StoreScript } from './types';

/** The store could not be reached or did not answer in time. Callers decide open vs closed. */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(cause: unknown) {
    super('store unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** Errors a Redis script raises on purpose (`redis.error_reply`) or type errors are not outages. */
export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof StoreUnavailableError;
}

/** A script called with another number of keys than it declares, or null: both stores refuse it unsent. */
export function keyCountError(script: StoreScript, keys: readonly string[]): Error | null {
  if (script.numberOfKeys < 0 || keys.length === script.numberOfKeys) return null;
  return new Error(`${script.name} takes ${script.numberOfKeys} keys, got ${keys.length}`);
}
