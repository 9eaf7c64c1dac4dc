import { ProviderError } from './errors';

export interface RetryPolicy {
  /** Attempts after the first. */
  maxRetries: number;
  /** Backoff without a retry-after: base × 2^attempt with full jitter, ms. */
  baseDelayMs: number;
  /** A retry-after longer than this is not waited for: the error is returned instead. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 2, baseDelayMs: 250, maxDelayMs: 20_000 };

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * Retries transient failures only (network, timeouts, 408, 409, rate-limit 429, 5xx), honouring
 * retry-after; never quota errors or bad requests. One reservation covers all attempts.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  normalise: (error: unknown) => ProviderError,
  policy: RetryPolicy,
  options: { signal?: AbortSignal | undefined; onRetry?: (error: ProviderError, delayMs: number) => void } = {},
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (raw) {
      const error = normalise(raw);
      if (!error.retryable || n >= policy.maxRetries || options.signal?.aborted) throw error;
      const delay = error.retryAfterMs ?? Math.random() * policy.baseDelayMs * 2 ** n;
      if (delay > policy.maxDelayMs) throw error;
      options.onRetry?.(error, delay);
      await sleep(delay, options.signal);
    }
  }
}

export { ProviderError };
