import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type ApiDeps, appRouter, createCaller, createContextInner } from '@tollgate/api';
import type { Authenticate } from '@tollgate/auth';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createRestAdapter } from '../rest/adapter';
import { restRoutes } from '../rest/routes';
import { clientAddress } from './client-address';
import { applyCors } from './cors';
import { sendError, sendJson } from './respond';
import { createStaticHandler } from './static-files';

export interface AppOptions {
  deps: ApiDeps;
  authenticate: Authenticate;
  maxBodyBytes: number;
  trustProxyHops: number;
  corsOrigins: readonly string[];
  webDistDir?: string;
  /** Called with unexpected errors; never with secrets or request bodies. */
  onInternalError: (error: unknown) => void;
}

const REQUEST_ID = Symbol('tollgate.requestId');
type TaggedRequest = IncomingMessage & { [REQUEST_ID]?: string };

export function requestIdOf(req: IncomingMessage): string {
  const tagged = req as TaggedRequest;
  tagged[REQUEST_ID] ??= randomUUID();
  return tagged[REQUEST_ID];
}

/** The whole HTTP surface as one node:http listener: health, tRPC, REST and the SPA. */
export function createApp(options: AppOptions): RequestListener {
  const { deps } = options;
  const corsOrigins = new Set(options.corsOrigins);

  const contextFor = (req: IncomingMessage) =>
    createContextInner({
      deps,
      requestId: requestIdOf(req),
      authenticate: () => options.authenticate(req.headers.authorization, clientAddress(req, options.trustProxyHops)),
    });

  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: options.maxBodyBytes,
    createContext: ({ req }) => contextFor(req),
    onError: ({ error }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') options.onInternalError(error.cause ?? error);
    },
  });

  const rest = createRestAdapter({
    routes: restRoutes,
    maxBodyBytes: options.maxBodyBytes,
    makeCaller: (req) => createCaller(contextFor(req)),
    onInternalError: options.onInternalError,
  });

  const serveStatic = createStaticHandler(options.webDistDir);

  async function readiness(res: ServerResponse): Promise<void> {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1_000).unref());
    try {
      await Promise.race([deps.store.ping(), timeout]);
      sendJson(res, 200, { status: 'ready', store: deps.store.kind });
    } catch {
      sendJson(res, 503, { status: 'unavailable', store: deps.store.kind, error: 'store unreachable' });
    }
  }

  return (req, res) => {
    res.setHeader('x-tollgate-request-id', requestIdOf(req));
    res.setHeader('x-content-type-options', 'nosniff');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://tollgate.invalid');
    } catch {
      return sendError(res, 400, 'INVALID_URL', 'Malformed request URL');
    }
    const path = url.pathname;
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') return void readiness(res);

    const api = path.startsWith('/trpc/') || path.startsWith('/api/') || path.startsWith('/v1/');
    if (api && applyCors(req, res, corsOrigins)) return;
    if (path.startsWith('/trpc/')) return void trpc(req, res);
    if (path.startsWith('/api/')) return void rest(req, res, url);
    if (!api && serveStatic(req, res, path)) return;
    sendError(res, 404, 'NOT_FOUND', `No route ${path}`);
  };
}
