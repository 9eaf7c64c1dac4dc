import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { load, warmUp } from './load';

let server: Server | null = null;
afterEach(() => server?.close());

/** A server that answers every other request with an immediate 500 and the rest 200 after 25 ms. */
async function start() {
  const seen = { requests: 0, sockets: new Set<unknown>() };
  server = createServer((req, res) => {
    seen.requests++;
    seen.sockets.add(req.socket);
    if (seen.requests % 2 === 1) {
      res.writeHead(500).end();
      return;
    }
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 25);
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen };
}

describe('load', () => {
  it('reads percentiles from the 2xx responses’ own times, to the hundredth of a millisecond', async () => {
    const { url } = await start();
    const { result, latency } = await load({ url, connections: 2, amount: 40 });
    expect(result.non2xx).toBe(20);
    // Counting the immediate 500s would put the median near 0; the 200s wait 25 ms (timers may fire
    // up to a millisecond early, so the bound leaves room).
    expect(latency.p50).toBeGreaterThan(20);
    expect(latency.p99).toBeGreaterThanOrEqual(latency.p50);
    expect(latency.p99).toBeLessThan(1_000);
    expect(Math.round(latency.p50 * 100) / 100).toBe(latency.p50);
  });
});

describe('warmUp', () => {
  it('sends the given count over at least 64 connections, and nothing for 0', async () => {
    const { url, seen } = await start();
    await warmUp({ url, connections: 1 }, 0);
    expect(seen.requests).toBe(0);
    await warmUp({ url, connections: 1 }, 200);
    expect(seen.requests).toBe(200);
    expect(seen.sockets.size).toBeGreaterThan(16);
  });
});
