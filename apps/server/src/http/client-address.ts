import type { IncomingMessage } from 'node:http';

/**
 * The client's address. X-Forwarded-For is trusted only for `trustedHops` proxies we run
 * ourselves; otherwise a caller could spoof it to dodge the auth-failure limiter.
 */
export function clientAddress(req: IncomingMessage, trustedHops: number): string {
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  if (trustedHops <= 0) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[hops.length - trustedHops] ?? hops[0] ?? socketAddress;
}
