/** A fault the fake upstream applies to the next matching request(s). */
export type Fault =
  | { kind: 'status'; status: number; retryAfterSec?: number; code?: string; times?: number }
  | { kind: 'hang'; times?: number }
  | { kind: 'disconnect'; afterChunks: number; times?: number }
  /** Sends `afterChunks` events of a stream, then the provider's in-stream error event, and ends. */
  | { kind: 'stream_error'; afterChunks: number; times?: number }
  | { kind: 'no_usage'; times?: number };

export interface UpstreamMessage {
  role: string;
  content: string;
}

/** Deterministic usage and reply, so tests can compute the exact expected charge. */
export interface Reply {
  words: string[];
  promptTokens: number;
  cachedTokens: number;
  finishReason: 'stop' | 'length' | 'tool_calls';
  toolCall: { name: string; arguments: string } | null;
}

const SENTENCE =
  'Tollgate fake upstream says hello and counts every token it sends back so tests know the exact cost of each call'.split(
    ' ',
  );

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

/**
 * Prompt tokens: one per word of every message plus one per message. Completion: `replyTokens`
 * words (default 12), cut at `max_tokens`. `[[cached:N]]` in a message reports N cached tokens;
 * `[[tool]]` with tools present answers with a call of the first tool; `[[reply:N]]` sets the reply length.
 */
export function planReply(input: {
  messages: UpstreamMessage[];
  maxTokens: number | undefined;
  toolNames: string[];
  defaultReplyTokens: number;
}): Reply {
  const all = input.messages.map((m) => m.content).join(' ');
  const promptTokens = input.messages.reduce((n, m) => n + words(m.content) + 1, 0);
  const cached = Math.min(Number(/\[\[cached:(\d+)\]\]/.exec(all)?.[1] ?? 0), promptTokens);
  const wanted = Number(/\[\[reply:(\d+)\]\]/.exec(all)?.[1] ?? input.defaultReplyTokens);
  const firstTool = input.toolNames[0];
  if (firstTool && all.includes('[[tool]]')) {
    return {
      words: [],
      promptTokens,
      cachedTokens: cached,
      finishReason: 'tool_calls',
      toolCall: { name: firstTool, arguments: '{"query":"tollgate"}' },
    };
  }
  const n = input.maxTokens !== undefined ? Math.min(wanted, input.maxTokens) : wanted;
  return {
    words: Array.from({ length: n }, (_, i) => SENTENCE[i % SENTENCE.length] as string),
    promptTokens,
    cachedTokens: cached,
    finishReason: n < wanted ? 'length' : 'stop',
    toolCall: null,
  };
}
