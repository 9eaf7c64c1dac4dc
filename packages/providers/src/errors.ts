import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

export type ProviderErrorKind =
  | 'rate_limited'
  | 'quota_exceeded'
  | 'timeout'
  | 'network'
  | 'server_error'
  | 'bad_request'
  | 'auth'
  | 'not_found'
  | 'aborted'
  | 'unknown';

/**
 * A provider failure, normalised. Its message is ours, never the provider's body: upstream error
 * text can carry keys, prompts or internal URLs.
 */
export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    readonly status: number | null,
    readonly retryable: boolean,
    /** From retry-after-ms / retry-after, when the provider sent one. */
    readonly retryAfterMs: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

function retryAfterMs(headers: Headers | undefined): number | null {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = headers?.get('retry-after');
  if (!raw) return null;
  const sec = Number(raw);
  if (Number.isFinite(sec)) return Math.max(0, sec * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

const QUOTA = /insufficient_quota|billing|quota|credit balance/i;

/** An abort, as fetch, undici or either SDK reports one. */
export function isAbortError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'AbortError' ||
      error instanceof OpenAI.APIUserAbortError ||
      error instanceof Anthropic.APIUserAbortError)
  );
}

/** Maps any error from the SDKs (or the network) to a ProviderError. */
export function normaliseProviderError(error: unknown, provider: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const apiError = error instanceof OpenAI.APIError ? error : error instanceof Anthropic.APIError ? error : null;
  if (isAbortError(error)) return new ProviderError('aborted', null, false, null, `${provider} request aborted`);
  if (error instanceof OpenAI.APIConnectionTimeoutError || error instanceof Anthropic.APIConnectionTimeoutError) {
    return new ProviderError('timeout', null, true, null, `${provider} did not answer in time`);
  }
  if (error instanceof OpenAI.APIConnectionError || error instanceof Anthropic.APIConnectionError) {
    return new ProviderError('network', null, true, null, `Could not reach ${provider}`);
  }
  if (apiError && typeof apiError.status === 'number') {
    const status = apiError.status;
    const headers = apiError.headers as Headers | undefined;
    const code = `${(apiError as { code?: unknown }).code ?? ''} ${(apiError as { type?: unknown }).type ?? ''}`;
    if (status === 429 && QUOTA.test(code)) {
      return new ProviderError('quota_exceeded', status, false, null, `${provider} quota exhausted`);
    }
    if (status === 429)
      return new ProviderError('rate_limited', status, true, retryAfterMs(headers), `${provider} rate limit`);
    if (status === 408)
      return new ProviderError('timeout', status, true, retryAfterMs(headers), `${provider} timed out`);
    if (status === 409)
      return new ProviderError('server_error', status, true, retryAfterMs(headers), `${provider} conflict`);
    if (status >= 500)
      return new ProviderError(
        'server_error',
        status,
        true,
        retryAfterMs(headers),
        `${provider} server error (${status})`,
      );
    if (status === 401 || status === 403)
      return new ProviderError('auth', status, false, null, `${provider} rejected the gateway's credentials`);
    if (status === 404)
      return new ProviderError('not_found', status, false, null, `${provider} does not know this model or deployment`);
    return new ProviderError('bad_request', status, false, null, `${provider} rejected the request (${status})`);
  }
  return new ProviderError('unknown', null, false, null, `${provider} call failed`);
}
