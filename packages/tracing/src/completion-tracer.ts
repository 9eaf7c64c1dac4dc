import { isoTime } from '@tollgate/memo';
import { RunTree } from 'langsmith/run_trees';
import { getCurrentRunTree } from 'langsmith/traceable';
import type { TraceGate } from './gate';
import type { RunExporter } from './run-exporter';
import { dottedSegment, dottedStamp, uuid7 } from './run-ids';

/** Structural twins of the gateway's tracer port (the tracing package depends on no gateway code). */
export interface TraceStartInfo {
  entryPoint: string;
  requestId: string;
  userId: string;
  provider: string;
  model: string;
  tags: string[];
  messages: { role: string; content: string | null }[];
  params: Record<string, unknown>;
  parentHeaders?: Record<string, string> | undefined;
  startedAt: number;
  metadata?: Record<string, unknown> | undefined;
  /** The stored prompt template the call was made from. */
  prompt?: { name: string; version: string } | null | undefined;
}

export interface TraceEndInfo {
  status: 'success' | 'error' | 'aborted';
  content: string | null;
  toolCalls: unknown[];
  finishReason: string | null;
  usage: {
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
    reasoningTokens: number;
  } | null;
  costMicros: number;
  estimated: boolean;
  error: { class: string; message: string } | null;
  endedAt: number;
}

export interface StartedTrace {
  readonly traceId: string | null;
  end(outcome: TraceEndInfo): void;
}

const NOOP: StartedTrace = { traceId: null, end: () => {} };

/** Where a completion's root run hangs: a caller's trace (headers) or an embedding app's run. */
interface ParentRun {
  id: string;
  traceId: string;
  dottedOrder: string;
  project: string;
  metadata: Record<string, unknown>;
  /** Claims the next execution order among the parent's descendants. */
  nextOrder(): number;
}

function fromRunTree(tree: RunTree, project: string): ParentRun {
  return {
    id: tree.id,
    traceId: tree.trace_id,
    dottedOrder: tree.dotted_order,
    project: tree.project_name || project,
    metadata: (tree.extra?.metadata as Record<string, unknown> | undefined) ?? {},
    nextOrder() {
      // The SDK's createChild does the same: the order propagates up so later siblings sort after.
      const order = tree.child_execution_order + 2;
      for (let t: RunTree | undefined = tree; t; t = t.parent_run)
        t.child_execution_order = Math.max(t.child_execution_order, order);
      return order - 1;
    },
  };
}

/** The run the caller is inside: distributed-trace headers, or an embedding app's traceable. */
function parentOf(info: TraceStartInfo, project: string): ParentRun | null {
  if (info.parentHeaders) {
    try {
      return fromRunTree(
        RunTree.fromHeaders(info.parentHeaders, { project_name: project, tracingEnabled: false }) as RunTree,
        project,
      );
    } catch {
      return null;
    }
  }
  const current = getCurrentRunTree(true);
  return current instanceof RunTree ? fromRunTree(current, project) : null;
}

/**
 * Both runs' metadata as JSON objects, open at the end (the end adds cost, estimated and
 * status). Metadata from a parent run or the caller goes through an object, so our keys win.
 */
function metadataJson(info: TraceStartInfo, parent: ParentRun | null): { root: string; llm: string } {
  if (parent || info.metadata) {
    const meta: Record<string, unknown> = Object.assign({}, parent?.metadata, ownMetadata(info), info.metadata);
    // The end appends these; a parent's own must not appear twice.
    delete meta.cost_usd;
    delete meta.estimated;
    delete meta.status;
    const llm: Record<string, unknown> = Object.assign({}, meta, {
      ls_provider: info.provider,
      ls_model_name: info.model,
      ls_model_type: 'chat',
    });
    if (typeof info.params.max_tokens === 'number') llm.ls_max_tokens = info.params.max_tokens;
    if (typeof info.params.temperature === 'number') llm.ls_temperature = info.params.temperature;
    return { root: JSON.stringify(meta).slice(0, -1), llm: JSON.stringify(llm).slice(0, -1) };
  }
  let root =
    `{"user_id":${JSON.stringify(info.userId)},"ai_provider":${JSON.stringify(info.provider)}` +
    `,"model":${JSON.stringify(info.model)},"request_id":${JSON.stringify(info.requestId)}` +
    `,"entry_point":${JSON.stringify(info.entryPoint)}`;
  if (info.prompt) {
    root += `,"prompt_name":${JSON.stringify(info.prompt.name)},"prompt_version":${JSON.stringify(info.prompt.version)}`;
  }
  const llm =
    `${root},"ls_provider":${JSON.stringify(info.provider)},"ls_model_name":${JSON.stringify(info.model)}` +
    `,"ls_model_type":"chat"` +
    (typeof info.params.max_tokens === 'number' ? `,"ls_max_tokens":${JSON.stringify(info.params.max_tokens)}` : '') +
    (typeof info.params.temperature === 'number' ? `,"ls_temperature":${JSON.stringify(info.params.temperature)}` : '');
  return { root, llm };
}

function ownMetadata(info: TraceStartInfo): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    user_id: info.userId,
    ai_provider: info.provider,
    model: info.model,
    request_id: info.requestId,
    entry_point: info.entryPoint,
  };
  if (info.prompt) {
    meta.prompt_name = info.prompt.name;
    meta.prompt_version = info.prompt.version;
  }
  return meta;
}

/** The llm run's outputs: content, tool calls, finish reason and LangSmith's usage_metadata. */
function outputsJson(outcome: TraceEndInfo, costUsd: number): string {
  let json =
    `{"content":${JSON.stringify(outcome.content)},"tool_calls":${JSON.stringify(outcome.toolCalls)}` +
    `,"finish_reason":${JSON.stringify(outcome.finishReason)}`;
  const u = outcome.usage;
  if (u) {
    json +=
      `,"usage_metadata":{"input_tokens":${u.inputTokens},"output_tokens":${u.outputTokens}` +
      `,"total_tokens":${u.inputTokens + u.outputTokens}` +
      `,"input_token_details":{"cache_read":${u.cacheReadTokens},"cache_creation":${u.cacheWriteTokens}}` +
      `,"output_token_details":{"reasoning":${u.reasoningTokens}},"total_cost":${costUsd}}`;
  }
  return `${json}}`;
}

export interface CompletionTracerOptions {
  project: string;
  gate: TraceGate;
  exporter: RunExporter;
  /** 0..1: share of root traces kept (a completion inside a caller's trace follows the caller). */
  samplingRate?: number | undefined;
  hideInputs?: boolean | undefined;
  hideOutputs?: boolean | undefined;
  onError?: (error: unknown) => void;
}

/**
 * Every completion becomes a root run named for its entry point, with an `llm` child for the
 * provider call carrying provider, model, token usage and cost. Both runs are written as JSON and
 * handed to the exporter, complete, after the call ends. Nothing here awaits LangSmith.
 *
 * Only what must be decided where the call runs happens in `start` and `end`: the parent run
 * (the caller's async context), sampling, the ids and execution order. The runs' JSON is written
 * once the current event-loop turn is done (or at `flush`), so concurrent calls whose provider
 * answers arrive together send their responses before any of them writes a trace.
 */
export function createCompletionTracer(options: CompletionTracerOptions) {
  const { project, gate, exporter } = options;
  const rate = options.samplingRate ?? 1;
  let ended: (() => void)[] = [];

  /** Writes and queues the runs of every call that ended since the last time. */
  function flush(): void {
    const batch = ended;
    ended = [];
    for (const write of batch) write();
  }

  function start(info: TraceStartInfo): StartedTrace {
    if (!gate.admit()) return NOOP;
    try {
      const parent = parentOf(info, project);
      if (!parent && rate < 1 && Math.random() >= rate) return NOOP;
      const rootOrder = parent ? parent.nextOrder() : 1;
      const rootId = uuid7(info.startedAt);
      const llmId = uuid7(info.startedAt);
      const traceId = parent?.traceId ?? rootId;
      const write = (outcome: TraceEndInfo) => {
        try {
          exporter.send(runsJson(info, outcome, parent, { rootId, llmId, traceId, rootOrder, project }, options));
        } catch (error) {
          options.onError?.(error);
        }
      };
      return {
        traceId,
        end(outcome) {
          if (ended.push(() => write(outcome)) === 1) setImmediate(flush);
        },
      };
    } catch (error) {
      options.onError?.(error);
      return NOOP;
    }
  }

  return { start, flush };
}

/** A completion's root and llm runs as `RunPayload` JSON, each written once. */
function runsJson(
  info: TraceStartInfo,
  outcome: TraceEndInfo,
  parent: ParentRun | null,
  ids: { rootId: string; llmId: string; traceId: string; rootOrder: number; project: string },
  options: Pick<CompletionTracerOptions, 'hideInputs' | 'hideOutputs'>,
): string[] {
  const { rootId, llmId, traceId, rootOrder } = ids;
  const startTime = isoTime(info.startedAt);
  const stamp = dottedStamp(startTime);
  const rootDotted = `${parent ? `${parent.dottedOrder}.` : ''}${dottedSegment(stamp, rootOrder, rootId)}`;
  const llmDotted = `${rootDotted}.${dottedSegment(stamp, rootOrder + 1, llmId)}`;
  const session = parent?.project ?? ids.project;
  const meta = metadataJson(info, parent);
  // Written around the parts only the end knows (see `pnpm bench`: serialising two run objects
  // per call cost more than the rest of tracing).
  const common = `"trace_id":${JSON.stringify(traceId)},"start_time":"${startTime}","session_name":${JSON.stringify(session)}`;
  const rootHead =
    `{"id":"${rootId}",${common}${parent ? `,"parent_run_id":${JSON.stringify(parent.id)}` : ''}` +
    `,"dotted_order":${JSON.stringify(rootDotted)},"name":${JSON.stringify(info.entryPoint)},"run_type":"chain"` +
    `,"tags":${JSON.stringify(info.tags)},"extra":{"metadata":${meta.root}`;
  const llmHead =
    `{"id":"${llmId}",${common},"parent_run_id":"${rootId}","dotted_order":${JSON.stringify(llmDotted)}` +
    `,"name":${JSON.stringify(`${info.provider}.chat.completions`)},"run_type":"llm"` +
    `,"tags":${JSON.stringify([info.entryPoint])},"extra":{"metadata":${meta.llm}`;
  const costUsd = outcome.costMicros / 1_000_000;
  // Both runs carry the same inputs and (but for the root's cost) outputs: each is serialised
  // once and spliced into both runs.
  const inputs = options.hideInputs ? '{}' : JSON.stringify(Object.assign({ messages: info.messages }, info.params));
  let outputs = '{}';
  let rootOutputs = '{}';
  if (!options.hideOutputs) {
    outputs = outputsJson(outcome, costUsd);
    rootOutputs = `${outputs.slice(0, -1)},"cost_usd":${costUsd}}`;
  }
  const ending =
    `,"cost_usd":${costUsd},"estimated":${outcome.estimated},"status":"${outcome.status}"}}` +
    `,"end_time":"${isoTime(outcome.endedAt)}"` +
    (outcome.error ? `,"error":${JSON.stringify(`${outcome.error.class}: ${outcome.error.message}`)}` : '') +
    `,"inputs":${inputs},"outputs":`;
  return [`${rootHead}${ending}${rootOutputs}}`, `${llmHead}${ending}${outputs}}`];
}
