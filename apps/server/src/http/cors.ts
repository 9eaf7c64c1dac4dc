import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Exact-match allowlist. Origins are never reflected unless listed, `null` is never allowed, and
 * no credentials flag is sent: the SPA authenticates with a bearer header, not cookies.
 * Returns true when the request was a preflight and has been answered.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowed: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  const ok = origin !== undefined && allowed.has(origin);
  if (ok) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'Origin');
    res.setHeader(
      'access-control-expose-headers',
      'x-tollgate-request-id, x-tollgate-cost-usd, x-tollgate-daily-remaining-usd, retry-after',
    );
  }
  if (req.method !== 'OPTIONS') return false;
  if (ok) {
    res.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS');
    res.setHeader(
      'access-control-allow-headers',
      'authorization, content-type, idempotency-key, trpc-accept, x-trpc-source, langsmith-trace, baggage',
    );
    res.setHeader('access-control-max-age', '600');
  }
  res.writeHead(ok ? 204 : 403).end();
  return true;
}
