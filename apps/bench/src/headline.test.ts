import { describe, expect, it } from 'vitest';
import { headline, type Row } from './headline';

const row = (over: Partial<Row> & Pick<Row, 'target' | 'upstreamLatencyMs'>): Row => ({
  stream: false,
  connections: 16,
  requestsPerSec: 0,
  p50: 0,
  p90: 0,
  p99: 0,
  errors: 0,
  non2xx: 0,
  gatewayCpuUsPerRequest: null,
  gatewayRssMb: null,
  addedP50: null,
  addedP99: null,
  ...over,
});

// A full run's 16-connection points (machine K, with REST's added p50 lowered from 1.76 to 0.98 so
// that one latency verdict is met), plus rows the headline must not read.
const ROWS: Row[] = [
  row({ upstreamLatencyMs: 0, target: 'direct', requestsPerSec: 21_685 }),
  row({ upstreamLatencyMs: 0, target: 'bare', requestsPerSec: 12_302, gatewayCpuUsPerRequest: 80 }),
  row({ upstreamLatencyMs: 0, target: 'sdk', requestsPerSec: 10_044, gatewayCpuUsPerRequest: 96 }),
  row({ upstreamLatencyMs: 0, target: 'v1', requestsPerSec: 4_080, gatewayCpuUsPerRequest: 214 }),
  row({ upstreamLatencyMs: 0, target: 'rest', requestsPerSec: 4_428, gatewayCpuUsPerRequest: 198 }),
  row({ upstreamLatencyMs: 0, target: 'v1', connections: 64, requestsPerSec: 5_073, gatewayCpuUsPerRequest: 182 }),
  row({ upstreamLatencyMs: 0, target: 'v1', stream: true, requestsPerSec: 2_451, gatewayCpuUsPerRequest: 413 }),
  row({ upstreamLatencyMs: 50, target: 'bare', addedP50: 0.2, addedP99: 1.28 }),
  row({ upstreamLatencyMs: 50, target: 'sdk', addedP50: 0.54, addedP99: 2.61 }),
  row({ upstreamLatencyMs: 50, target: 'v1', addedP50: 2.38, addedP99: 6.85 }),
  row({ upstreamLatencyMs: 50, target: 'rest', addedP50: 0.98, addedP99: 5.56 }),
];

describe('bench headline', () => {
  it('gives each route its verdict on every target, as stated and scaled by the bare proxy', () => {
    const lines = headline(ROWS, {});
    // 200 × 80 / 60 and 5,000 × 12,302 / 17,000
    expect(lines).toContain(
      '- targets scaled to this machine by its bare proxy (200 µs and 5,000 req/s where it takes 60 µs and does 17,000 req/s): ≤ 267 µs/request and ≥ 3618 req/s at 16 connections; added p50 ≤ 1 ms and p99 ≤ 5 ms at a 50 ms upstream',
    );
    expect(lines).toContain(
      '- v1, against the targets: CPU ≤ 200 µs not met (scaled: met); ≥ 5,000 req/s not met (scaled: met); added p50 ≤ 1 ms not met; added p99 ≤ 5 ms not met',
    );
    expect(lines).toContain(
      '- rest, against the targets: CPU ≤ 200 µs met (scaled: met); ≥ 5,000 req/s not met (scaled: met); added p50 ≤ 1 ms met; added p99 ≤ 5 ms not met',
    );
  });

  it('reads the 16-connection JSON points, and sets the gateway’s added latency beside both floors', () => {
    const lines = headline(ROWS, {});
    expect(lines).toContain(
      '- v1, 16 connections, 0 ms upstream: 4080 req/s (0.19× direct, 0.33× a bare node:http proxy), gateway CPU 214 µs/request (bare proxy 80 µs, SDK-only proxy 96 µs)',
    );
    expect(lines).toContain(
      '- v1, CPU added over the bare proxy: 134 µs/request (the targets allow 140 µs: 200 against 60); over the SDK-only proxy: 118 µs',
    );
    expect(lines).toContain(
      '- v1, 16 connections, 50 ms upstream: added p50 2.38 ms, added p99 6.85 ms (the bare proxy: 0.2 / 1.28 ms; the SDK-only proxy: 0.54 / 2.61 ms)',
    );
  });

  it('says when the gateway ran with a feature changed, and gives only the verdicts it has figures for', () => {
    const fastOnly = ROWS.filter((r) => r.upstreamLatencyMs === 0 && r.target !== 'bare');
    const lines = headline(fastOnly, { LANGSMITH_TRACING_ENABLED: 'false' });
    expect(lines[0]).toBe(
      '- **gateway settings changed for this run: LANGSMITH_TRACING_ENABLED=false** (the targets speak of reservation, settle, usage recording and tracing all on)',
    );
    expect(lines).toContain('- rest, against the targets: CPU ≤ 200 µs met; ≥ 5,000 req/s not met');
    expect(lines.some((l) => l.includes('scaled'))).toBe(false);
    expect(lines.some((l) => l.includes('50 ms upstream'))).toBe(false);
  });

  it('gives nothing for a run without the gateway’s routes', () => {
    expect(headline([row({ upstreamLatencyMs: 0, target: 'direct', requestsPerSec: 1 })], {})).toEqual([]);
  });
});
