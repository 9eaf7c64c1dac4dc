import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LightAbortController } from '@tollgate/abort';
import { type ApiDeps, type Context, createContextInner } from '@tollgate/api';
import type { Authenticate } from '@tollgate/auth';
import { clientAddress } from './client-address';

const REQUEST_ID = Symbol('tollgate.requestId');
const FIELDS = Symbol('tollgate.logFields');
type TaggedRequest = IncomingMessage & { [REQUEST_ID]?: string; [FIELDS]?: Record<string, unknown> };

/** Adds fields to the request's log line: who called, which provider and model, what it cost. */
function annotate(req: IncomingMessage, fields: Record<string, unknown>): void {
  const tagged = req as TaggedRequest;
  tagged[FIELDS] = Object.assign(tagged[FIELDS] ?? {}, fields);
}

export function annotationsOf(req: IncomingMessage): Record<string, unknown> {
  return (req as TaggedRequest)[FIELDS] ?? {};
}

export function requestIdOf(req: IncomingMessage): string {
  const tagged = req as TaggedRequest;
  tagged[REQUEST_ID] ??= randomUUID();
  return tagged[REQUEST_ID];
}

/** LangSmith's distributed-tracing headers, passed on so gateway runs nest under the caller's trace. */
function traceHeaders(req: IncomingMessage): Record<string, string> | undefined {
  const trace = req.headers['langsmith-trace'];
  if (typeof trace !== 'string' || trace.length > 2_048) return undefined;
  const baggage = req.headers.baggage;
  return { 'langsmith-trace': trace, ...(typeof baggage === 'string' && baggage.length <= 8_192 && { baggage }) };
}

export interface ContextFactoryOptions {
  deps: ApiDeps;
  authenticate: Authenticate;
  trustProxyHops: number;
}

/** Builds the tRPC context of an HTTP request; every transport (tRPC, REST, /v1) goes through it. */
export function createRequestContextFactory(options: ContextFactoryOptions) {
  return (req: IncomingMessage, res: ServerResponse | null, entryPoint?: string): Context => {
    const idem = req.headers['idempotency-key'];
    return createContextInner({
      deps: options.deps,
      requestId: requestIdOf(req),
      entryPoint,
      authenticate: () => options.authenticate(req.headers.authorization, clientAddress(req, options.trustProxyHops)),
      setHeader: (name, value) => {
        if (res && !res.headersSent) res.setHeader(name, value);
      },
      traceHeaders: traceHeaders(req),
      idempotencyKey: typeof idem === 'string' && idem.length > 0 ? idem : undefined,
      annotate: (fields) => annotate(req, fields),
    });
  };
}

export type RequestContextFactory = ReturnType<typeof createRequestContextFactory>;

/**
 * A signal that fires when the client goes away before the response is complete. A light one:
 * Node 20's `AbortSignal` costs several µs per request (see `@tollgate/abort`).
 */
export function clientGone(req: IncomingMessage, res: ServerResponse): AbortSignal {
  const controller = new LightAbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  req.once('aborted', () => controller.abort());
  return controller.signal;
}
