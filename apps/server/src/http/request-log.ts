import type { RequestListener } from 'node:http';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { annotationsOf, requestIdOf } from './request-context';

/** A bounded label for metrics: never the raw path, which callers choose. */
function routeGroup(path: string): string {
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return path.slice(1);
  if (path.startsWith('/trpc/')) return 'trpc';
  if (path.startsWith('/api/')) return 'rest';
  if (path.startsWith('/v1/')) return 'openai';
  return 'static';
}

const QUIET = new Set(['healthz', 'readyz', 'metrics', 'static']);

/**
 * One structured line per request (request id, user, provider, model, status, cost, latency) and
 * its HTTP metrics. Prompts and bodies are never logged; credentials never reach the fields.
 */
export function withRequestLog(app: RequestListener, logger: Logger, metrics: Metrics | null): RequestListener {
  return (req, res) => {
    const started = performance.now();
    res.once('close', () => {
      const totalMs = performance.now() - started;
      const path = (req.url ?? '/').split('?', 1)[0] as string;
      const route = routeGroup(path);
      const fields = annotationsOf(req);
      const upstreamMs = typeof fields.upstream_ms === 'number' ? fields.upstream_ms : undefined;
      const entryPoint = typeof fields.entry_point === 'string' ? fields.entry_point : undefined;
      metrics?.http(route, res.statusCode, totalMs, entryPoint, upstreamMs);
      const level = QUIET.has(route) && res.statusCode < 400 ? 'debug' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      // The call's own status (success, error, aborted) is its `outcome`; `status` is the HTTP one.
      const { cost_micros: cost, upstream_ms: upstream, status: outcome, ...rest } = fields;
      const line: Record<string, unknown> = {
        req_id: requestIdOf(req),
        method: req.method,
        path: path.length > 200 ? `${path.slice(0, 200)}…` : path,
        status: res.statusCode,
        latency_ms: Math.round(totalMs * 100) / 100,
      };
      // Assignments rather than spreads: on Node 20, properties after a spread cost µs each.
      if (!res.writableFinished) line.client_gone = true;
      Object.assign(line, rest);
      if (outcome !== undefined) line.outcome = outcome;
      if (typeof cost === 'number') line.cost_usd = cost / 1e6;
      if (typeof upstream === 'number') line.upstream_ms = Math.round(upstream * 100) / 100;
      logger[level](line, 'request');
    });
    app(req, res);
  };
}
