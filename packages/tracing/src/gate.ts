/**
 * Keeps tracing off the request path when LangSmith is unhealthy. A fetch wrapper watches the
 * SDK's uploads; while uploads fail or pile up, new traces are dropped (and counted) instead of
 * queued, with one probe trace let through every `probeEveryMs` to notice recovery.
 */
export interface TraceGateOptions {
  /** Uploads in flight at which new traces are dropped (the SDK sends at most 5 at once). */
  maxInFlight?: number;
  /** Consecutive failed uploads after which new traces are dropped. */
  maxConsecutiveFailures?: number;
  probeEveryMs?: number;
  now?: () => number;
}

export interface TraceStats {
  /** Traces not sent because LangSmith was unhealthy. */
  dropped: number;
  /** Upload requests that succeeded / failed. */
  exported: number;
  failed: number;
  inFlight: number;
  healthy: boolean;
}

export function createTraceGate(baseFetch: typeof fetch, options: TraceGateOptions = {}) {
  const maxInFlight = options.maxInFlight ?? 5;
  const maxFailures = options.maxConsecutiveFailures ?? 3;
  const probeEvery = options.probeEveryMs ?? 10_000;
  const now = options.now ?? Date.now;
  let inFlight = 0;
  let consecutiveFailures = 0;
  let dropped = 0;
  let exported = 0;
  let failed = 0;
  let lastProbe = 0;

  const healthy = () => inFlight < maxInFlight && consecutiveFailures < maxFailures;

  const gatedFetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const upload = /\/runs(\/|$)/.test(new URL(url).pathname);
    if (!upload) return baseFetch(input, init);
    inFlight++;
    try {
      const res = await baseFetch(input, init);
      if (res.ok) {
        exported++;
        consecutiveFailures = 0;
      } else {
        failed++;
        consecutiveFailures++;
      }
      return res;
    } catch (error) {
      failed++;
      consecutiveFailures++;
      throw error;
    } finally {
      inFlight--;
    }
  };

  return {
    fetch: gatedFetch,
    /** Uploads in flight at which the gate closes; uploaders should not run more at once. */
    maxInFlight,
    /** Whether a new trace may be started now. */
    admit(): boolean {
      if (healthy()) return true;
      const t = now();
      if (t - lastProbe >= probeEvery && inFlight < maxInFlight) {
        lastProbe = t;
        return true;
      }
      dropped++;
      return false;
    },
    /** Counts traces dropped elsewhere (the exporter's memory bound). */
    drop(traces: number): void {
      dropped += traces;
    },
    stats: (): TraceStats => ({ dropped, exported, failed, inFlight, healthy: healthy() }),
  };
}

export type TraceGate = ReturnType<typeof createTraceGate>;
