import { RunTree } from 'langsmith/run_trees';
import { getCurrentRunTree } from 'langsmith/traceable';
import type { TraceGate } from './gate';
import { type RunExporter, runJson } from './run-exporter';
import { dottedSegment, uuid7 } from './run-ids';

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
 * provider call carrying provider, model, token usage and cost. Both runs are built as plain
 * objects and handed to the exporter, complete, when the call ends. Nothing here awaits LangSmith.
 */
export function createCompletionTracer(options: CompletionTracerOptions) {
  const { project, gate, exporter } = options;
  const rate = options.samplingRate ?? 1;

  function start(info: TraceStartInfo): StartedTrace {
    if (!gate.admit()) return NOOP;
    try {
      const parent = parentOf(info, project);
      if (!parent && rate < 1 && Math.random() >= rate) return NOOP;
      const rootOrder = parent ? parent.nextOrder() : 1;
      const rootId = uuid7(info.startedAt);
      const traceId = parent?.traceId ?? rootId;
      const rootDotted = `${parent ? `${parent.dottedOrder}.` : ''}${dottedSegment(info.startedAt, rootOrder, rootId)}`;
      const llmId = uuid7(info.startedAt);
      const llmDotted = `${rootDotted}.${dottedSegment(info.startedAt, rootOrder + 1, llmId)}`;
      const session = parent?.project ?? project;
      const startTime = new Date(info.startedAt).toISOString();
      // Built once per trace and filled in at the end; plain assignments, since object spreads
      // were most of this path's cost (see `pnpm bench`).
      const rootMeta: Record<string, unknown> = Object.assign({}, parent?.metadata);
      rootMeta.user_id = info.userId;
      rootMeta.ai_provider = info.provider;
      rootMeta.model = info.model;
      rootMeta.request_id = info.requestId;
      rootMeta.entry_point = info.entryPoint;
      if (info.prompt) {
        rootMeta.prompt_name = info.prompt.name;
        rootMeta.prompt_version = info.prompt.version;
      }
      if (info.metadata) Object.assign(rootMeta, info.metadata);
      const llmMeta: Record<string, unknown> = Object.assign({}, rootMeta);
      llmMeta.ls_provider = info.provider;
      llmMeta.ls_model_name = info.model;
      llmMeta.ls_model_type = 'chat';
      if (typeof info.params.max_tokens === 'number') llmMeta.ls_max_tokens = info.params.max_tokens;
      if (typeof info.params.temperature === 'number') llmMeta.ls_temperature = info.params.temperature;
      return {
        traceId,
        end(outcome) {
          try {
            const costUsd = outcome.costMicros / 1_000_000;
            const error = outcome.error ? `${outcome.error.class}: ${outcome.error.message}` : undefined;
            // Both runs carry the same inputs and (but for the root's cost) outputs: each is
            // serialised once and spliced into both runs' JSON.
            let inputsJson = '{}';
            if (!options.hideInputs)
              inputsJson = JSON.stringify(Object.assign({ messages: info.messages }, info.params));
            let outputsJson = '{}';
            let rootOutputsJson = '{}';
            if (!options.hideOutputs) {
              const outputs: Record<string, unknown> = {
                content: outcome.content,
                tool_calls: outcome.toolCalls,
                finish_reason: outcome.finishReason,
              };
              if (outcome.usage) {
                const u = outcome.usage;
                outputs.usage_metadata = {
                  input_tokens: u.inputTokens,
                  output_tokens: u.outputTokens,
                  total_tokens: u.inputTokens + u.outputTokens,
                  input_token_details: { cache_read: u.cacheReadTokens, cache_creation: u.cacheWriteTokens },
                  output_token_details: { reasoning: u.reasoningTokens },
                  total_cost: costUsd,
                };
              }
              outputsJson = JSON.stringify(outputs);
              rootOutputsJson = `${outputsJson.slice(0, -1)},"cost_usd":${JSON.stringify(costUsd)}}`;
            }
            for (const meta of [rootMeta, llmMeta]) {
              meta.cost_usd = costUsd;
              meta.estimated = outcome.estimated;
              meta.status = outcome.status;
            }
            const endTime = new Date(outcome.endedAt).toISOString();
            exporter.send([
              runJson(
                {
                  id: rootId,
                  trace_id: traceId,
                  parent_run_id: parent?.id,
                  dotted_order: rootDotted,
                  name: info.entryPoint,
                  run_type: 'chain',
                  start_time: startTime,
                  end_time: endTime,
                  error,
                  tags: info.tags,
                  session_name: session,
                  extra: { metadata: rootMeta },
                },
                inputsJson,
                rootOutputsJson,
              ),
              runJson(
                {
                  id: llmId,
                  trace_id: traceId,
                  parent_run_id: rootId,
                  dotted_order: llmDotted,
                  name: `${info.provider}.chat.completions`,
                  run_type: 'llm',
                  start_time: startTime,
                  end_time: endTime,
                  error,
                  tags: [info.entryPoint],
                  session_name: session,
                  extra: { metadata: llmMeta },
                },
                inputsJson,
                outputsJson,
              ),
            ]);
          } catch (error) {
            options.onError?.(error);
          }
        },
      };
    } catch (error) {
      options.onError?.(error);
      return NOOP;
    }
  }

  return { start };
}
