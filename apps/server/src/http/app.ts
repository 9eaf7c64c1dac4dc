import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type ApiDeps, appRouter, createCaller, directCompletions } from '@tollgate/api';
import { type Authenticate, constantTimeEquals } from '@tollgate/auth';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { Metrics } from '../metrics';
import { createOpenAIRoutes } from '../openai/routes';
import { createRestAdapter } from '../rest/adapter';
import { restRoutes } from '../rest/routes';
import { applyCors } from './cors';
import { createRequestContextFactory, requestIdOf } from './request-context';
import { sendError, sendJson } from './respond';
import { createStaticHandler } from './static-files';

export interface AppOptions {
  deps: ApiDeps;
  authenticate: Authenticate;
  maxBodyBytes: number;
  trustProxyHops: number;
  corsOrigins: readonly string[];
  webDistDir?: string;
  /** Served at /metrics; null turns the route off. */
  metrics?: Metrics | null;
  /** When set, /metrics requires this bearer token. */
  metricsToken?: string;
  /** Called with unexpected errors; never with secrets or request bodies. */
  onInternalError: (error: unknown) => void;
}

export { requestIdOf };

/** The whole HTTP surface as one node:http listener: health, tRPC, REST and the SPA. */
export function createApp(options: AppOptions): RequestListener {
  const { deps } = options;
  const corsOrigins = new Set(options.corsOrigins);

  const contextFor = createRequestContextFactory({
    deps,
    authenticate: options.authenticate,
    trustProxyHops: options.trustProxyHops,
  });

  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: options.maxBodyBytes,
    createContext: ({ req, res }) => contextFor(req, res),
    onError: ({ error }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') options.onInternalError(error.cause ?? error);
    },
  });

  const rest = createRestAdapter({
    routes: restRoutes,
    maxBodyBytes: options.maxBodyBytes,
    makeCaller: (req, res, route, signal) => {
      const ctx = contextFor(req, res, route.entryPoint);
      return { caller: createCaller(ctx, { signal }), direct: () => directCompletions(ctx, signal) };
    },
    onInternalError: options.onInternalError,
  });

  const openai = createOpenAIRoutes({
    contextFor,
    maxBodyBytes: options.maxBodyBytes,
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

  async function serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { metrics, metricsToken } = options;
    if (!metrics) return sendError(res, 404, 'NOT_FOUND', 'Metrics are disabled (METRICS_ENABLED=false)');
    if (metricsToken) {
      const header = req.headers.authorization ?? '';
      const token = header.startsWith('Bearer ') ? header.slice(7) : '';
      if (!constantTimeEquals(token, metricsToken)) {
        return sendError(res, 401, 'UNAUTHENTICATED', 'Metrics need Authorization: Bearer <METRICS_TOKEN>');
      }
    }
    const { contentType, body } = await metrics.render();
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
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
    if (path === '/metrics') {
      return void serveMetrics(req, res).catch((error: unknown) => {
        options.onInternalError(error);
        if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'Internal error');
      });
    }

    const api = path.startsWith('/trpc/') || path.startsWith('/api/') || path.startsWith('/v1/');
    if (api && applyCors(req, res, corsOrigins)) return;
    if (path.startsWith('/trpc/')) return void trpc(req, res);
    if (path.startsWith('/api/')) return void rest(req, res, url);
    if (path.startsWith('/v1/')) return void openai(req, res, path);
    if (!api && serveStatic(req, res, path)) return;
    sendError(res, 404, 'NOT_FOUND', `No route ${path}`);
  };
}
