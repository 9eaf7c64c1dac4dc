import { PromptHubError, PromptNotFoundError } from '@tollgate/prompts';
import { isStoreUnavailable } from '@tollgate/store';
import { TRPCError } from '@trpc/server';

type TRPCCode = TRPCError['code'];

/**
 * An error meant for the caller: an HTTP status, a stable machine code and a sentence a person can
 * act on, plus optional details that REST bodies spread next to `error` and `code`.
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** Seconds, sent as Retry-After. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

const TRPC_CODE_BY_STATUS: Record<number, TRPCCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

export function toTRPCError(problem: ApiProblem): TRPCError {
  return new TRPCError({
    code: TRPC_CODE_BY_STATUS[problem.status] ?? 'INTERNAL_SERVER_ERROR',
    message: problem.message,
    cause: problem,
  });
}

/** Throws an ApiProblem as the TRPCError that carries it. */
export function fail(
  status: number,
  code: string,
  message: string,
  details?: Record<string, unknown>,
  retryAfterSec?: number,
): never {
  throw toTRPCError(new ApiProblem(status, code, message, details, retryAfterSec));
}

/**
 * The one table from domain failures to caller-facing problems. Unknown errors stay internal:
 * the caller sees a generic 500 and nothing of the cause.
 */
export function problemFromDomainError(error: unknown): ApiProblem | null {
  if (error instanceof ApiProblem) return error;
  if (error instanceof PromptNotFoundError) return new ApiProblem(404, 'PROMPT_NOT_FOUND', error.message);
  if (error instanceof PromptHubError) return new ApiProblem(502, 'LANGSMITH_ERROR', error.message);
  if (isStoreUnavailable(error)) {
    return new ApiProblem(503, 'STORE_UNAVAILABLE', 'The gateway store is unavailable; retry shortly', {}, 1);
  }
  return null;
}

/** The ApiProblem behind a TRPCError, if there is one. */
export function problemOf(error: TRPCError): ApiProblem | null {
  return error.cause instanceof ApiProblem ? error.cause : null;
}
