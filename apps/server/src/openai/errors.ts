import type { ServerResponse } from 'node:http';
import { problemFromDomainError, problemOf } from '@tollgate/api';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZodError } from 'zod';
import { BodyError } from '../http/body';
import { sendJson } from '../http/respond';

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
};

export interface OpenAIError {
  status: number;
  body: { error: { message: string; type: string; param: string | null; code: string } & Record<string, unknown> };
  headers: Record<string, string | number>;
}

/** Any error in OpenAI's error shape. Spend refusals tell OpenAI SDKs not to retry (`x-should-retry`). */
export function toOpenAIError(error: unknown, onInternal: (e: unknown) => void): OpenAIError {
  let status = 500;
  let code = 'internal_error';
  let message = 'Internal error';
  let param: string | null = null;
  let details: Record<string, unknown> = {};
  let retryAfter: number | undefined;
  const problem = problemFromDomainError(error) ?? (error instanceof TRPCError ? problemOf(error) : null);
  if (error instanceof BodyError) {
    ({ status, code, message } = error);
  } else if (problem) {
    ({ status, code, message } = problem);
    details = problem.details;
    retryAfter = problem.retryAfterSec;
  } else if (error instanceof TRPCError && error.cause instanceof ZodError) {
    const first = error.cause.issues[0];
    status = 400;
    code = 'invalid_input';
    param = first?.path.join('.') || null;
    message = `${param ? `${param}: ` : ''}${first?.message ?? 'invalid input'}`;
  } else if (error instanceof TRPCError && getHTTPStatusCodeFromError(error) < 500) {
    status = getHTTPStatusCodeFromError(error);
    code = error.code.toLowerCase();
    message = error.message;
  } else {
    onInternal(error);
  }
  const type =
    code === 'SPEND_LIMIT_EXCEEDED'
      ? 'insufficient_quota'
      : (TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'));
  const noRetry = code === 'SPEND_LIMIT_EXCEEDED' || code === 'TOO_MANY_AUTH_FAILURES' || status < 429;
  return {
    status,
    body: { error: { message, type, param, code, ...details } },
    headers: {
      ...(retryAfter !== undefined && { 'retry-after': retryAfter }),
      ...(noRetry && { 'x-should-retry': 'false' }),
    },
  };
}

export function sendOpenAIError(res: ServerResponse, error: unknown, onInternal: (e: unknown) => void): void {
  const e = toOpenAIError(error, onInternal);
  sendJson(res, e.status, e.body, e.headers);
}
