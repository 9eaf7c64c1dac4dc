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
