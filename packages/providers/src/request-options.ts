import type { CallOptions } from './types';

/** SDK per-request options; the SDKs reject `timeout: undefined`, so absent values stay absent. */
export function requestOptions(options: CallOptions): { maxRetries: 0; signal?: AbortSignal; timeout?: number } {
  return {
    maxRetries: 0,
    ...(options.signal && { signal: options.signal }),
    ...(options.timeoutMs !== undefined && { timeout: Math.max(1, Math.round(options.timeoutMs)) }),
  };
}
