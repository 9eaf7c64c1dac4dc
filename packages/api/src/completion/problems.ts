import type { ProviderError } from '@tollgate/providers';
import type { LimitScope, LimitStatus } from '@tollgate/spend';
import { ApiProblem } from '../errors';
import { limitStatusJson } from '../views/limit-status';

const SCOPE_MESSAGE: Record<LimitScope, string> = {
  user_daily: 'Daily spend limit exceeded',
  user_monthly: 'Monthly spend limit exceeded',
  system_monthly: 'System monthly spend limit exceeded',
};

/** 429 with the reference's wording per scope and the whole limit status. */
export function spendLimitProblem(scope: LimitScope, status: LimitStatus, now: number): ApiProblem {
  const resetsAt = scope === 'user_daily' ? status.dayResetsAt : status.monthResetsAt;
  return new ApiProblem(
    429,
    'SPEND_LIMIT_EXCEEDED',
    SCOPE_MESSAGE[scope],
    { scope, ...limitStatusJson(status) },
    Math.max(1, Math.ceil((resetsAt - now) / 1000)),
  );
}

/** Provider failures as the caller sees them: a stable code, our own words, no upstream body. */
export function providerProblem(error: ProviderError, provider: string): ApiProblem {
  switch (error.kind) {
    case 'timeout':
      return new ApiProblem(504, 'PROVIDER_TIMEOUT', `${provider} did not answer in time`, { provider });
    case 'bad_request':
      return new ApiProblem(400, 'PROVIDER_REJECTED_REQUEST', `${provider} rejected the request as invalid`, {
        provider,
        provider_status: error.status,
      });
    case 'not_found':
      return new ApiProblem(400, 'MODEL_NOT_FOUND', `${provider} does not know this model or deployment`, { provider });
    case 'rate_limited':
      return new ApiProblem(502, 'PROVIDER_RATE_LIMITED', `${provider} is rate limiting the gateway; retry later`, {
        provider,
      });
    case 'quota_exceeded':
      return new ApiProblem(502, 'PROVIDER_QUOTA_EXCEEDED', `The gateway's ${provider} quota is exhausted`, {
        provider,
      });
    case 'auth':
      return new ApiProblem(502, 'PROVIDER_AUTH_FAILED', `${provider} rejected the gateway's credentials`, {
        provider,
      });
    case 'aborted':
      return new ApiProblem(499, 'CLIENT_CLOSED_REQUEST', 'The request was cancelled', { provider });
    case 'network':
      return new ApiProblem(502, 'PROVIDER_UNREACHABLE', `Could not reach ${provider}`, { provider });
    default:
      return new ApiProblem(502, 'PROVIDER_ERROR', `${provider} failed to complete the request`, { provider });
  }
}

/** The error class recorded in analytics and traces. */
export function errorClassOf(error: ProviderError): string {
  return `provider_${error.kind}`;
}
