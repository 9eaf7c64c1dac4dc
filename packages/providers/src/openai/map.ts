import { fromOpenAIUsage } from '@tollgate/schemas';
import type OpenAI from 'openai';
import type { ChatRequest, ChatResult, FinishReason } from '../types';

type Params = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

/** Reasoning models take `max_completion_tokens`; the rest (and most compatible servers) `max_tokens`. */
const COMPLETION_TOKENS_MODELS = /^(o\d|gpt-5)/;

export function toOpenAIParams(req: ChatRequest): Params {
  const params: Params = {
    model: req.model,
    messages: req.messages.map((m): OpenAI.Chat.ChatCompletionMessageParam => {
      if (m.role === 'tool') return { role: 'tool', content: m.content ?? '', tool_call_id: m.tool_call_id ?? '' };
      if (m.role === 'assistant') {
        return {
          role: 'assistant',
          content: m.content,
          ...(m.name && { name: m.name }),
          ...(m.tool_calls?.length && { tool_calls: m.tool_calls }),
        };
      }
      return { role: m.role, content: m.content ?? '', ...(m.name && { name: m.name }) };
    }),
    ...(COMPLETION_TOKENS_MODELS.test(req.model)
      ? { max_completion_tokens: req.max_tokens }
      : { max_tokens: req.max_tokens }),
  };
  if (req.temperature !== undefined) params.temperature = req.temperature;
  if (req.top_p !== undefined) params.top_p = req.top_p;
  if (req.stop?.length) params.stop = req.stop;
  if (req.tools?.length) params.tools = req.tools as OpenAI.Chat.ChatCompletionTool[];
  if (req.tool_choice !== undefined) params.tool_choice = req.tool_choice as OpenAI.Chat.ChatCompletionToolChoiceOption;
  if (req.response_format) params.response_format = req.response_format as Params['response_format'];
  return params;
}

export function finishReason(reason: string | null | undefined): FinishReason {
  if (reason === 'stop' || reason === 'length' || reason === 'tool_calls' || reason === 'content_filter') return reason;
  if (reason === 'function_call') return 'tool_calls';
  return reason ? 'stop' : null;
}

export function fromOpenAICompletion(c: OpenAI.Chat.ChatCompletion): ChatResult {
  const choice = c.choices[0];
  return {
    id: c.id,
    model: c.model,
    content: choice?.message.content ?? null,
    tool_calls: (choice?.message.tool_calls ?? [])
      .filter((t): t is OpenAI.Chat.ChatCompletionMessageFunctionToolCall => t.type === 'function')
      .map((t) => ({
        id: t.id,
        type: 'function' as const,
        function: { name: t.function.name, arguments: t.function.arguments },
      })),
    finish_reason: finishReason(choice?.finish_reason),
    usage: fromOpenAIUsage(c.usage ?? {}),
  };
}
