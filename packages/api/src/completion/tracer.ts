import type { ChatMessage, FinishReason, ToolCall } from '@tollgate/providers';
import type { NormalizedUsage } from '@tollgate/schemas';

/** What the completion path tells tracing; the tracing package turns it into LangSmith runs. */
export interface CompletionTraceStart {
  entryPoint: string;
  requestId: string;
  userId: string;
  provider: string;
  model: string;
  tags: string[];
  messages: ChatMessage[];
  params: Record<string, unknown>;
  /** Trace-propagation headers from the caller (`langsmith-trace`, `baggage`). */
  parentHeaders?: Record<string, string> | undefined;
  startedAt: number;
  /** The stored template the call was made from, for trace metadata. */
  prompt?: { name: string; version: string } | null | undefined;
}

export interface CompletionTraceEnd {
  status: 'success' | 'error' | 'aborted';
  content: string | null;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: NormalizedUsage | null;
  costMicros: number;
  estimated: boolean;
  /** Stable class and safe message; never a provider body. */
  error: { class: string; message: string } | null;
  endedAt: number;
}

export interface CompletionTrace {
  /** The root run's id, returned to the caller as `trace_id`; null when tracing is off. */
  readonly traceId: string | null;
  /** Called once; must never throw or block. */
  end(outcome: CompletionTraceEnd): void;
}

export interface CompletionTracer {
  start(info: CompletionTraceStart): CompletionTrace;
}

export const noopTracer: CompletionTracer = {
  start: () => ({ traceId: null, end: () => {} }),
};
