import type Anthropic from '@anthropic-ai/sdk';
import { fromAnthropicUsage } from '@tollgate/schemas';
import type { ChatRequest, ChatResult, FinishReason, ToolChoice } from '../types';

type Params = Anthropic.MessageCreateParamsNonStreaming;
type Block = Anthropic.ContentBlockParam;

/** The JSON in `text`, or `fallback` when it does not parse. */
export function jsonOr(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

function toolChoice(choice: ToolChoice): Anthropic.ToolChoice {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  return { type: 'tool', name: choice.function.name };
}

/**
 * OpenAI-shaped request → Anthropic Messages. System messages become `system`; tool results
 * become user `tool_result` blocks; assistant tool calls become `tool_use` blocks; consecutive
 * messages of the same role are merged, as Anthropic requires alternating turns.
 */
export function toAnthropicParams(req: ChatRequest): Params {
  const system = req.messages
    .filter((m) => m.role === 'system')
    .map((m) => m.content ?? '')
    .join('\n\n');
  const turns: { role: 'user' | 'assistant'; content: Block[] }[] = [];
  for (const m of req.messages) {
    if (m.role === 'system') continue;
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const blocks: Block[] = [];
    if (m.role === 'tool') {
      blocks.push({ type: 'tool_result', tool_use_id: m.tool_call_id ?? '', content: m.content ?? '' });
    } else {
      if (m.content) blocks.push({ type: 'text', text: m.content });
      for (const call of m.tool_calls ?? []) {
        blocks.push({
          type: 'tool_use',
          id: call.id,
          name: call.function.name,
          input: jsonOr(call.function.arguments, {}) as Record<string, unknown>,
        });
      }
    }
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  }
  const params: Params = {
    model: req.model,
    max_tokens: req.max_tokens,
    messages: turns,
    ...(system && { system }),
  };
  // The current SDK no longer types these sampling fields; older models still take them, so
  // they are forwarded only when the caller set them.
  if (req.temperature !== undefined) Object.assign(params, { temperature: Math.min(req.temperature, 1) });
  if (req.top_p !== undefined) Object.assign(params, { top_p: req.top_p });
  if (req.stop?.length) params.stop_sequences = req.stop;
  if (req.tools?.length) {
    params.tools = req.tools.map((t) => ({
      name: t.function.name,
      ...(t.function.description && { description: t.function.description }),
      input_schema: (t.function.parameters ?? { type: 'object', properties: {} }) as Anthropic.Tool.InputSchema,
    }));
    if (req.tool_choice !== undefined) params.tool_choice = toolChoice(req.tool_choice);
  }
  return params;
}

export function stopReason(reason: string | null | undefined): FinishReason {
  if (!reason) return null;
  if (reason === 'max_tokens') return 'length';
  if (reason === 'tool_use') return 'tool_calls';
  if (reason === 'refusal') return 'content_filter';
  return 'stop';
}

export function fromAnthropicMessage(m: Anthropic.Message): ChatResult {
  const text = m.content
    .filter((b): b is Anthropic.TextBlock => b.type === 'text')
    .map((b) => b.text)
    .join('');
  const toolCalls = m.content
    .filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')
    .map((b) => ({
      id: b.id,
      type: 'function' as const,
      function: { name: b.name, arguments: JSON.stringify(b.input) },
    }));
  return {
    id: m.id,
    model: m.model,
    content: text || (toolCalls.length ? null : ''),
    tool_calls: toolCalls,
    finish_reason: stopReason(m.stop_reason),
    usage: fromAnthropicUsage(m.usage),
  };
}
