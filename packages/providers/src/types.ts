import type { NormalizedUsage, ProviderId } from '@tollgate/schemas';

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  name?: string | undefined;
  /** Assistant messages that called tools. */
  tool_calls?: ToolCall[] | undefined;
  /** Tool messages: the call they answer. */
  tool_call_id?: string | undefined;
}

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string | undefined; parameters?: Record<string, unknown> | undefined };
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema?: Record<string, unknown>; strict?: boolean } };

/** One request shape for every provider; adapters translate it. `max_tokens` is always set (clamped by the gateway). */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  max_tokens: number;
  temperature?: number | undefined;
  top_p?: number | undefined;
  stop?: string[] | undefined;
  tools?: ToolDefinition[] | undefined;
  tool_choice?: ToolChoice | undefined;
  response_format?: ResponseFormat | undefined;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | null;

export interface ChatResult {
  id: string;
  model: string;
  content: string | null;
  tool_calls: ToolCall[];
  finish_reason: FinishReason;
  usage: NormalizedUsage;
}

/** What a stream yields: content as it arrives, then one final event with the outcome. */
export type StreamEvent =
  | { type: 'delta'; content?: string; tool_calls?: ToolCallDelta[] }
  | { type: 'done'; id: string; model: string; finish_reason: FinishReason; usage: NormalizedUsage | null };

export interface ToolCallDelta {
  index: number;
  id?: string;
  name?: string;
  arguments?: string;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** Time allowed for the call (non-streaming) or until the stream starts, ms. */
  timeoutMs?: number | undefined;
}

export interface ChatProvider {
  readonly id: ProviderId;
  complete(request: ChatRequest, options?: CallOptions): Promise<ChatResult>;
  /** Resolves once the provider accepted the request (errors before the first byte reject here). */
  stream(request: ChatRequest, options?: CallOptions): Promise<AsyncIterable<StreamEvent>>;
}
