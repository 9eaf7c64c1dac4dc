import type { CompletionObserver } from '@tollgate/api';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { CounterCells } from './counter-cells';

/** Seconds: gateway overhead is sub-millisecond when healthy, upstream calls take seconds. */
const OVERHEAD_BUCKETS = [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const UPSTREAM_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120];

export interface MetricsSources {
  /** Traces LangSmith never got (dropped while it was unhealthy). */
  droppedTraces: () => number;
  /** Settles waiting for the store to come back. */
  pendingSettles: () => number;
}

/**
 * The Prometheus registry of one server. Its own registry (not prom-client's global one), so
 * several servers in one process (tests) never share counters.
 */
export function createMetrics(sources: MetricsSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tollgate_' });

  // The counters every request adds to take their increments through cells (see CounterCells).
  const requests = new CounterCells({
    name: 'tollgate_requests_total',
    help: 'Completions that reached a provider, by entry point, provider, model and status',
    labelNames: ['entry_point', 'provider', 'model', 'status'],
    registers: [registry],
  });
  const overhead = new Histogram({
    name: 'tollgate_gateway_overhead_seconds',
    help: 'Time a completion request spent in the gateway itself: total minus time waiting on the provider',
    labelNames: ['entry_point'] as const,
    buckets: OVERHEAD_BUCKETS,
    registers: [registry],
  });
  const upstream = new Histogram({
    name: 'tollgate_upstream_latency_seconds',
    help: 'Time spent waiting on the provider (all attempts), by provider',
    labelNames: ['provider'] as const,
    buckets: UPSTREAM_BUCKETS,
    registers: [registry],
  });
  const tokens = new CounterCells({
    name: 'tollgate_tokens_total',
    help: 'Tokens by provider, model and kind (prompt, completion)',
    labelNames: ['provider', 'model', 'kind'],
    registers: [registry],
  });
  const cost = new CounterCells({
    name: 'tollgate_cost_micro_usd_total',
    help: 'Cost charged, integer micro-USD, by provider and model',
    labelNames: ['provider', 'model'],
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'tollgate_spend_limit_refusals_total',
    help: 'Calls refused before the provider by a spend limit, by scope',
    labelNames: ['scope'] as const,
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'tollgate_reservations_in_flight',
    help: 'Spend reservations taken and not yet settled by this instance',
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: 'tollgate_store_errors_total',
    help: 'Times the spend store could not be reached',
    registers: [registry],
  });
  const httpRequests = new CounterCells({
    name: 'tollgate_http_requests_total',
    help: 'HTTP requests by route group and status code',
    labelNames: ['route', 'code'],
    registers: [registry],
  });
  new Gauge({
    name: 'tollgate_langsmith_dropped_traces',
    help: 'Traces dropped since start because LangSmith was unhealthy',
    registers: [registry],
    collect() {
      this.set(sources.droppedTraces());
    },
  });
  new Gauge({
    name: 'tollgate_pending_settles',
    help: 'Settles queued in this process while the store was unreachable',
    registers: [registry],
    collect() {
      this.set(sources.pendingSettles());
    },
  });

  const observer: CompletionObserver = {
    completed(e, upstreamMs) {
      requests.add([e.entry_point, e.provider, e.model, e.status]);
      upstream.observe({ provider: e.provider }, upstreamMs / 1000);
      if (e.prompt_tokens) tokens.add([e.provider, e.model, 'prompt'], e.prompt_tokens);
      if (e.completion_tokens) tokens.add([e.provider, e.model, 'completion'], e.completion_tokens);
      if (e.cost_micros) cost.add([e.provider, e.model], e.cost_micros);
    },
    refused: (scope) => refusals.inc({ scope }),
    reservations: (delta) => inFlight.inc(delta),
    storeError: () => storeErrors.inc(),
  };

  return {
    registry,
    observer,
    /** One finished HTTP request; `upstreamMs` is set for completions. */
    http(route: string, code: number, totalMs: number, entryPoint?: string, upstreamMs?: number) {
      httpRequests.add([route, String(code)]);
      if (entryPoint && upstreamMs !== undefined) {
        overhead.observe({ entry_point: entryPoint }, Math.max(0, totalMs - upstreamMs) / 1000);
      }
    },
    storeError: () => storeErrors.inc(),
    async render(): Promise<{ contentType: string; body: string }> {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
