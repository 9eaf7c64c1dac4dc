import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DirectCompletions, problemFromDomainError, problemOf } from '@tollgate/api';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZodError, z } from 'zod';
import { BodyError, readJsonBody } from '../http/body';
import { clientGone } from '../http/request-context';
import { sendError, sendJson } from '../http/respond';
import { endSse, firstOf, startSse, writeSse } from '../http/sse';
import { buildOpenApi } from './openapi';
import { type Caller, type CompiledRoute, compile, type RestRoute, SseResult } from './route';

/** Streams `{type, …}` events as named SSE events; errors before the first event keep their HTTP status. */
async function sendEvents(
  res: ServerResponse,
  result: SseResult,
  onInternalError: (e: unknown) => void,
): Promise<void> {
  const { first, rest } = await firstOf(result.events);
  startSse(res);
  let next = first;
  try {
    while (!next.done) {
      const event = next.value as { type?: string };
      writeSse(res, event, event.type ?? 'message');
      next = await rest.next();
    }
  } catch (error) {
    if (!restErrorOf(error)) onInternalError(error);
    writeSse(res, restErrorEvent(error), 'error');
  } finally {
    endSse(res);
  }
}

export interface RestAdapterOptions {
  routes: RestRoute[];
  maxBodyBytes: number;
  /** The procedures a route calls, as a tRPC caller and as direct completions, on one context. */
  makeCaller: (
    req: IncomingMessage,
    res: ServerResponse,
    route: RestRoute,
    signal: AbortSignal,
  ) => { caller: Caller; direct: () => DirectCompletions };
  onInternalError: (error: unknown) => void;
}

interface RestError {
  status: number;
  code: string;
  message: string;
  extra?: Record<string, unknown>;
  retryAfterSec?: number | undefined;
}

/** Maps a thrown error to the legacy REST error; null means it was not meant for the caller. */
function restErrorOf(error: unknown): RestError | null {
  if (error instanceof BodyError) return { status: error.status, code: error.code, message: error.message };
  if (error instanceof URIError)
    return { status: 400, code: 'INVALID_PATH', message: 'Malformed percent-encoding in path' };
  const domain = problemFromDomainError(error);
  if (domain) {
    const { status, code, message, details: extra, retryAfterSec } = domain;
    return { status, code, message, extra, retryAfterSec };
  }
  if (!(error instanceof TRPCError)) return null;
  const problem = problemOf(error);
  if (problem) {
    const { status, code, message, details: extra, retryAfterSec } = problem;
    return { status, code, message, extra, retryAfterSec };
  }
  if (error.cause instanceof ZodError) {
    const first = error.cause.issues[0];
    const where = first?.path.length ? `${first.path.join('.')}: ` : '';
    return {
      status: 400,
      code: 'INVALID_INPUT',
      message: `${where}${first?.message ?? 'invalid input'}`,
      extra: { issues: z.treeifyError(error.cause) },
    };
  }
  const status = getHTTPStatusCodeFromError(error);
  return status < 500 ? { status, code: error.code, message: error.message } : null;
}

/** The error as an event inside a stream that already started. */
export function restErrorEvent(error: unknown): { error: string; code: string } {
  const known = restErrorOf(error);
  return known ? { error: known.message, code: known.code } : { error: 'Internal error', code: 'INTERNAL_ERROR' };
}

/** Sends the legacy REST error body: `{"error": "...", "code": "...", ...details}`; internals stay hidden. */
export function sendRestError(res: ServerResponse, error: unknown, onInternalError: (e: unknown) => void): void {
  const known = restErrorOf(error);
  if (!known) {
    onInternalError(error);
    sendError(res, 500, 'INTERNAL_ERROR', 'Internal error');
    return;
  }
  const headers: Record<string, number> = known.retryAfterSec ? { 'retry-after': known.retryAfterSec } : {};
  sendError(res, known.status, known.code, known.message, known.extra, headers);
}

export function createRestAdapter(options: RestAdapterOptions) {
  const compiled: CompiledRoute[] = options.routes.map(compile);

  let openapi: string | null = null;

  return async function handleRest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'GET' && /^\/api\/v1\/openapi\.json\/?$/.test(url.pathname)) {
      openapi ??= JSON.stringify(buildOpenApi(options.routes));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' });
      res.end(openapi);
      return;
    }
    const matches = compiled
      .map((route) => ({ route, m: route.pattern.exec(url.pathname) }))
      .filter((x): x is { route: CompiledRoute; m: RegExpExecArray } => x.m !== null);
    if (matches.length === 0) {
      sendError(res, 404, 'NOT_FOUND', `No route ${url.pathname}`);
      return;
    }
    const hit = matches.find(({ route }) => route.method === req.method);
    if (!hit) {
      const allow = [...new Set(matches.map(({ route }) => route.method))].join(', ');
      sendError(res, 405, 'METHOD_NOT_ALLOWED', `Use ${allow}`, {}, { allow });
      return;
    }
    try {
      const params: Record<string, string> = {};
      hit.route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(hit.m[i + 1] as string);
      });
      const body =
        req.method === 'GET' || req.method === 'DELETE'
          ? undefined
          : await readJsonBody(req, res, options.maxBodyBytes);
      const signal = clientGone(req, res);
      const { caller, direct } = options.makeCaller(req, res, hit.route, signal);
      const result = await hit.route.call(caller, { params, query: url.searchParams, body }, direct);
      if (result instanceof SseResult) await sendEvents(res, result, options.onInternalError);
      else sendJson(res, hit.route.status ?? 200, result);
    } catch (error) {
      sendRestError(res, error, options.onInternalError);
    }
  };
}
