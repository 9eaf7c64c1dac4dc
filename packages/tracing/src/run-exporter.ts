import type { TraceGate } from './gate';

/** A finished run as LangSmith's `POST /runs/batch` takes it. */
export interface RunPayload {
  id: string;
  trace_id: string;
  parent_run_id?: string | undefined;
  dotted_order: string;
  name: string;
  run_type: string;
  start_time: string;
  end_time: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  error?: string | undefined;
  tags: string[];
  session_name: string;
  extra: { metadata: Record<string, unknown> };
}

export interface RunExporterOptions {
  endpoint: string;
  apiKey: string;
  workspaceId?: string | undefined;
  /** The gate's fetch: uploads through it are what the gate judges LangSmith's health by. */
  gate: TraceGate;
  timeoutMs: number;
  maxRetries: number;
  /** Serialised runs held (queued and in flight) at most; beyond it new runs are dropped. */
  maxBytes: number;
  /** Runs per upload. */
  batchSize?: number;
  /** How long a run may wait for others to share its upload, ms. */
  delayMs?: number;
  /** Uploads at once (at most the gate's `maxInFlight`, its default); more runs wait in the queue. */
  concurrency?: number;
  onDropped?: (runs: number) => void;
}

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

const OPEN = Buffer.from('{"post":[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

/**
 * Sends finished completion runs to LangSmith in batches, off the request path. It replaces the
 * SDK's per-run RunTree + queue for the hot path: a run is serialised and encoded once, when it
 * is queued, and sent with others as one JSON `/runs/batch` request whose body is those bytes
 * put together (joining the strings and encoding the whole batch cost several times more).
 * Memory is bounded by `maxBytes`; failures are counted by the gate and never reach a request.
 */
export function createRunExporter(options: RunExporterOptions) {
  const batchSize = options.batchSize ?? 100;
  const delayMs = options.delayMs ?? 100;
  // As many as the gate tolerates in flight: a full set of hung uploads closes the gate, so new
  // traces are dropped and counted instead of queued.
  const concurrency = Math.min(options.concurrency ?? options.gate.maxInFlight, options.gate.maxInFlight);
  const url = `${options.endpoint.replace(/\/+$/, '')}/runs/batch`;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-api-key': options.apiKey,
    ...(options.workspaceId && { 'x-tenant-id': options.workspaceId }),
  };
  let queue: Buffer[] = [];
  let heldBytes = 0;
  let inFlight = 0;
  let timer: NodeJS.Timeout | null = null;
  const idle: (() => void)[] = [];

  async function post(body: Buffer): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      let retryAfterMs = 0;
      try {
        const res = await options.gate.fetch(url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        status = res.status;
        // Seconds; an HTTP-date or junk reads as 0 and the backoff applies.
        retryAfterMs = (Number(res.headers.get('retry-after') ?? 0) || 0) * 1000;
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
      } catch {
        // Network error or timeout: retried like a 5xx.
      }
      if ((status !== 0 && !RETRYABLE.has(status)) || attempt >= options.maxRetries) return;
      const backoff = Math.min(10_000, 500 * 2 ** attempt * (1 + Math.random()));
      await new Promise((r) => setTimeout(r, Math.max(backoff, Math.min(retryAfterMs, 30_000))).unref());
    }
  }

  /**
   * Starts uploads while the concurrency allows: full batches, and with `all` (the timer, a flush)
   * the rest too. A partial batch otherwise waits for the timer to fill up: sending it as soon as
   * an upload finished made every upload start another of a few dozen runs, each paying an
   * upload's fixed cost here and at LangSmith.
   */
  function pump(all: boolean): void {
    while (inFlight < concurrency && (queue.length >= batchSize || (all && queue.length > 0))) {
      const runs = queue.length <= batchSize ? queue : queue.slice(0, batchSize);
      queue = queue.length <= batchSize ? [] : queue.slice(batchSize);
      const parts: Buffer[] = [OPEN];
      let bytes = 0;
      for (const r of runs) {
        if (parts.length > 1) parts.push(COMMA);
        parts.push(r);
        bytes += r.length;
      }
      parts.push(CLOSE);
      inFlight++;
      void post(Buffer.concat(parts)).finally(() => {
        inFlight--;
        heldBytes -= bytes;
        // A waiting flush wants everything sent.
        if (idle.length > 0) pump(true);
        else schedule();
        if (inFlight === 0 && queue.length === 0) for (const resolve of idle.splice(0)) resolve();
      });
    }
  }

  /** Sends full batches now; the rest goes when the timer fires, at most `delayMs` later. */
  function schedule(): void {
    pump(false);
    if (queue.length === 0) return;
    timer ??= setTimeout(() => {
      timer = null;
      pump(true);
    }, delayMs);
    timer.unref();
  }

  return {
    /**
     * Queues runs (each a `RunPayload` as JSON) for upload; drops them (and says
     * so) when memory is full. Never throws.
     */
    send(runs: readonly string[]): void {
      const encoded = runs.map((r) => Buffer.from(r));
      let bytes = 0;
      for (const b of encoded) bytes += b.length;
      if (heldBytes + bytes > options.maxBytes) {
        options.onDropped?.(runs.length);
        return;
      }
      heldBytes += bytes;
      for (const b of encoded) queue.push(b);
      schedule();
    },
    /** Sends what is queued and waits for it, at most `timeoutMs`. */
    async flush(timeoutMs: number): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = null;
      pump(true);
      if (inFlight === 0 && queue.length === 0) return;
      await Promise.race([
        new Promise<void>((resolve) => idle.push(resolve)),
        new Promise((r) => setTimeout(r, timeoutMs).unref()),
      ]);
    },
    heldBytes: () => heldBytes,
  };
}

export type RunExporter = ReturnType<typeof createRunExporter>;
