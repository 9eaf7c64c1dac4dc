import type { Client } from 'langsmith';
import { RunTree } from 'langsmith/run_trees';
import { getCurrentRunTree } from 'langsmith/traceable';
import type { TraceGate } from './gate';

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

function quiet(p: Promise<unknown>): void {
  p.catch(() => {});
}

/** The run tree the caller is inside: distributed-trace headers, or an embedding app's traceable. */
function parentOf(info: TraceStartInfo, inherit: { client: Client; project_name: string }): RunTree | undefined {
  if (info.parentHeaders) {
    try {
      return RunTree.fromHeaders(info.parentHeaders, { ...inherit, tracingEnabled: true });
    } catch {
      return undefined;
    }
  }
  const current = getCurrentRunTree(true);
  return current instanceof RunTree ? current : undefined;
}

/**
 * Every completion becomes a root run named for its entry point, with an `llm` child for the
 * provider call carrying provider, model, token usage and cost. Nothing here awaits LangSmith.
 */
export function createCompletionTracer(options: {
  client: Client;
  project: string;
  gate: TraceGate;
  onError?: (error: unknown) => void;
}) {
  const { client, project, gate } = options;

  function start(info: TraceStartInfo): StartedTrace {
    if (!gate.admit()) return NOOP;
    try {
      const parent = parentOf(info, { client, project_name: project });
      const rootConfig = {
        name: info.entryPoint,
        run_type: 'chain',
        inputs: { messages: info.messages, ...info.params },
        tags: info.tags,
        metadata: {
          user_id: info.userId,
          ai_provider: info.provider,
          model: info.model,
          request_id: info.requestId,
          entry_point: info.entryPoint,
          ...(info.prompt && { prompt_name: info.prompt.name, prompt_version: info.prompt.version }),
          ...info.metadata,
        },
        client,
        tracingEnabled: true,
        project_name: project,
        start_time: info.startedAt,
      };
      const root = parent ? parent.createChild(rootConfig) : new RunTree(rootConfig);
      const llm = root.createChild({
        name: `${info.provider}.chat.completions`,
        run_type: 'llm',
        inputs: { messages: info.messages, ...info.params },
        tags: [info.entryPoint],
        metadata: {
          ls_provider: info.provider,
          ls_model_name: info.model,
          ls_model_type: 'chat',
          ...(info.prompt && { prompt_name: info.prompt.name, prompt_version: info.prompt.version }),
          ...(typeof info.params.max_tokens === 'number' && { ls_max_tokens: info.params.max_tokens }),
          ...(typeof info.params.temperature === 'number' && { ls_temperature: info.params.temperature }),
        },
        start_time: info.startedAt,
      });
      // Both runs are sent once, complete, when the call ends: one create each instead of a create
      // and a patch halves the SDK's per-call queueing and serialisation (see `pnpm bench`).
      return {
        traceId: root.trace_id,
        end(outcome) {
          try {
            const costUsd = outcome.costMicros / 1_000_000;
            const usage = outcome.usage && {
              input_tokens: outcome.usage.inputTokens,
              output_tokens: outcome.usage.outputTokens,
              total_tokens: outcome.usage.inputTokens + outcome.usage.outputTokens,
              input_token_details: {
                cache_read: outcome.usage.cacheReadTokens,
                cache_creation: outcome.usage.cacheWriteTokens,
              },
              output_token_details: { reasoning: outcome.usage.reasoningTokens },
              total_cost: costUsd,
            };
            const error = outcome.error ? `${outcome.error.class}: ${outcome.error.message}` : undefined;
            const outputs = {
              content: outcome.content,
              tool_calls: outcome.toolCalls,
              finish_reason: outcome.finishReason,
              ...(usage && { usage_metadata: usage }),
            };
            const extra = { cost_usd: costUsd, estimated: outcome.estimated, status: outcome.status };
            quiet(
              Promise.all([
                root.end({ ...outputs, cost_usd: costUsd }, error, outcome.endedAt, extra),
                llm.end(outputs, error, outcome.endedAt, extra),
              ]).then(() => Promise.all([root.postRun(), llm.postRun()])),
            );
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
