import { AuthenticationError, Client, Langsmith, PermissionDeniedError } from 'langsmith';
import { getCurrentRunTree, traceable } from 'langsmith/traceable';
import { createCompletionTracer, type StartedTrace, type TraceStartInfo } from './completion-tracer';
import { type TracingConfig, TracingConfigError } from './config';
import { createTraceGate, type TraceStats } from './gate';
import { createRunExporter } from './run-exporter';

export interface TracingHealth {
  enabled: boolean;
  project: string;
  endpoint: string;
  connected: boolean;
  /** null, or what went wrong in words: unauthorized, forbidden, unreachable, timeout. */
  error: string | null;
  dropped_traces: number;
  failed_uploads: number;
  /** Link to a trace with `{trace_id}` in it, or null when tracing is off. */
  trace_url_template: string | null;
}

export interface CreateTraceOptions {
  name: string;
  inputs?: Record<string, unknown>;
  tags?: string[];
  userId?: string;
  metadata?: Record<string, unknown>;
  runType?: 'chain' | 'llm' | 'tool' | 'retriever';
}

export interface Tracing {
  readonly enabled: boolean;
  /** The port the completion path uses. */
  completionTracer: { start(info: TraceStartInfo): StartedTrace };
  /** Runs `fn` inside a traced run; completions and `traced` functions called inside nest under it. */
  createTrace<T>(options: CreateTraceOptions, fn: () => Promise<T>): Promise<T>;
  /** Wraps a function so each call is a run nested under whatever run is active. */
  traced<A extends unknown[], R>(
    name: string,
    fn: (...args: A) => Promise<R>,
    runType?: CreateTraceOptions['runType'],
  ): (...args: A) => Promise<R>;
  health(): Promise<TracingHealth>;
  stats(): TraceStats;
  /** Waits for queued traces, at most `timeoutMs`. */
  flush(timeoutMs: number): Promise<void>;
}

const MB = 1024 * 1024;

/** Tracing switched off: nothing is built, every call is a pass-through. */
export function disabledTracing(config: Pick<TracingConfig, 'project' | 'endpoint'>): Tracing {
  return {
    enabled: false,
    completionTracer: { start: () => ({ traceId: null, end: () => {} }) },
    createTrace: (_o, fn) => fn(),
    traced: (_n, fn) => fn,
    health: async () => ({
      enabled: false,
      project: config.project,
      endpoint: config.endpoint,
      connected: false,
      error: 'tracing is disabled (LANGSMITH_TRACING_ENABLED=false)',
      dropped_traces: 0,
      failed_uploads: 0,
      trace_url_template: null,
    }),
    stats: () => ({ dropped: 0, exported: 0, failed: 0, inFlight: 0, healthy: true }),
    flush: async () => {},
  };
}

/** One explicit LangSmith client, built at startup, with bounded memory, a short timeout and few retries. */
export function createTracing(
  config: TracingConfig,
  hooks: { onError?: (error: unknown) => void; fetch?: typeof fetch } = {},
): Tracing {
  if (!config.enabled) return disabledTracing(config);
  const gate = createTraceGate(hooks.fetch ?? fetch);
  let client: Client;
  try {
    client = new Client({
      apiUrl: config.endpoint,
      apiKey: config.apiKey,
      ...(config.workspaceId && { workspaceId: config.workspaceId }),
      timeout_ms: config.timeoutMs ?? 5_000,
      maxIngestMemoryBytes: config.maxMemoryBytes ?? 32 * MB,
      callerOptions: { maxRetries: config.maxRetries ?? 1 },
      ...(config.hideInputs && { hideInputs: true }),
      ...(config.hideOutputs && { hideOutputs: true }),
      tracingMode: 'langsmith',
      omitTracedRuntimeInfo: true,
      fetchImplementation: gate.fetch,
    } as ConstructorParameters<typeof Client>[0]);
  } catch (error) {
    throw new TracingConfigError(
      `LangSmith client could not be built: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const exporter = createRunExporter({
    endpoint: config.endpoint,
    apiKey: config.apiKey ?? '',
    workspaceId: config.workspaceId,
    gate,
    timeoutMs: config.timeoutMs ?? 5_000,
    maxRetries: config.maxRetries ?? 1,
    maxBytes: config.maxMemoryBytes ?? 32 * MB,
    // A completion's two runs are sent together, so a dropped upload is one trace.
    onDropped: (runs) => gate.drop(Math.ceil(runs / 2)),
  });
  const rate = config.samplingRate ?? 1;
  const completionTracer = createCompletionTracer({
    project: config.project,
    gate,
    exporter,
    samplingRate: rate,
    hideInputs: config.hideInputs,
    hideOutputs: config.hideOutputs,
    ...(hooks.onError && { onError: hooks.onError }),
  });
  const base = { client, tracingEnabled: true, project_name: config.project };
  /** Sampling is decided here, per root trace, for SDK runs and completion runs alike. */
  const sampledOut = () => rate < 1 && getCurrentRunTree(true) === undefined && Math.random() >= rate;

  return {
    enabled: true,
    completionTracer,
    createTrace(options, fn) {
      if (!gate.admit() || sampledOut()) return fn();
      const run = traceable(fn, {
        ...base,
        name: options.name,
        run_type: options.runType ?? 'chain',
        tags: options.tags ?? [],
        metadata: { ...(options.userId && { user_id: options.userId }), ...options.metadata },
        // Inputs of a createTrace are given explicitly, not taken from fn's arguments.
        processInputs: () => options.inputs ?? {},
      });
      return run();
    },
    traced(name, fn, runType = 'chain') {
      const run = traceable(fn, { ...base, name, run_type: runType }) as unknown as typeof fn;
      return (...args) => (sampledOut() ? fn(...args) : run(...args));
    },
    async health() {
      const status = {
        enabled: true,
        project: config.project,
        endpoint: config.endpoint,
        dropped_traces: gate.stats().dropped,
        failed_uploads: gate.stats().failed,
        trace_url_template: `${(config.uiUrl ?? 'https://smith.langchain.com').replace(/\/+$/, '')}/r/{trace_id}`,
      };
      const api = new Langsmith({
        apiKey: config.apiKey ?? null,
        baseURL: config.endpoint,
        maxRetries: 0,
        timeout: 3_000,
        ...(config.workspaceId && { defaultHeaders: { 'x-tenant-id': config.workspaceId } }),
      } as ConstructorParameters<typeof Langsmith>[0]);
      try {
        await api.sessions.listV2({ page_size: 1 } as never);
        return { ...status, connected: true, error: null };
      } catch (error) {
        return { ...status, connected: false, error: describeHealthError(error) };
      }
    },
    stats: gate.stats,
    async flush(timeoutMs) {
      completionTracer.flush();
      await Promise.all([
        exporter.flush(timeoutMs),
        Promise.race([
          client.awaitPendingTraceBatches().catch(() => {}),
          new Promise((r) => setTimeout(r, timeoutMs).unref()),
        ]),
      ]);
    },
  };
}

function describeHealthError(error: unknown): string {
  if (error instanceof AuthenticationError) return 'unauthorized: LangSmith rejected the API key';
  if (error instanceof PermissionDeniedError)
    return 'forbidden: the key cannot reach this workspace (set LANGSMITH_WORKSPACE_ID)';
  const name = error instanceof Error ? error.constructor.name : '';
  if (name === 'APIConnectionTimeoutError') return 'timeout: LangSmith did not answer within 3 s';
  if (name === 'APIConnectionError') return 'unreachable: could not connect to LangSmith';
  const status = (error as { status?: number }).status;
  return status ? `LangSmith answered ${status}` : 'unreachable: could not connect to LangSmith';
}
