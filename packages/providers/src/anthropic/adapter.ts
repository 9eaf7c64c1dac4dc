import Anthropic from '@anthropic-ai/sdk';
import { fromAnthropicUsage, type NormalizedUsage } from '@tollgate/schemas';
import { normaliseProviderError } from '../errors';
import { readEventStream, type StreamEventMapper } from '../event-stream';
import { requestOptions } from '../request-options';
import type { ChatProvider, FinishReason } from '../types';
import { fromAnthropicMessage, jsonOr, stopReason, toAnthropicParams } from './map';
import { withPreparedRequests } from './prepared-requests';

const AnthropicClient = withPreparedRequests(Anthropic);

export interface AnthropicProviderOptions {
  apiKey: string;
  baseURL?: string | undefined;
  fetch?: typeof fetch | undefined;
}

export function createAnthropicProvider(options: AnthropicProviderOptions): ChatProvider {
  const client = new AnthropicClient({
    apiKey: options.apiKey,
    maxRetries: 0,
    ...(options.baseURL && { baseURL: options.baseURL }),
    ...(options.fetch && { fetch: options.fetch }),
  });
  const fail = (error: unknown) => normaliseProviderError(error, 'anthropic');

  return {
    id: 'anthropic',
    async complete(request, callOptions = {}) {
      try {
        const message = await client.messages.create(toAnthropicParams(request), requestOptions(callOptions));
        return fromAnthropicMessage(message);
      } catch (error) {
        throw fail(error);
      }
    },
    async stream(request, callOptions = {}) {
      let response: Response;
      try {
        // The raw response: its events are read here, not by the SDK's stream reader (see sse.ts).
        response = await client.messages
          .create(
            Object.assign(toAnthropicParams(request), {
              stream: true,
            }) as unknown as Anthropic.MessageCreateParamsStreaming,
            requestOptions(callOptions),
          )
          .asResponse();
      } catch (error) {
        throw fail(error);
      }
      return readEventStream(response, anthropicEvents(request.model, response.headers), callOptions.signal, fail);
    },
  };
}

/**
 * An Anthropic event stream's events, with the SDK's rules: `ping` and unnamed events are skipped
 * and an `error` event fails the stream.
 */
function anthropicEvents(requestedModel: string, headers: Headers): StreamEventMapper {
  let id = '';
  let model = requestedModel;
  let finish: FinishReason = null;
  let start: Anthropic.Usage | null = null;
  let outputTokens = 0;
  const toolIndex = new Map<number, number>();
  return {
    delta(sse) {
      if (sse.event === null || sse.event === 'ping') return null;
      if (sse.event === 'error') {
        const body = jsonOr(sse.data, sse.data) as { error?: { type?: Anthropic.ErrorType } } | string;
        const type = typeof body === 'object' ? body?.error?.type : undefined;
        throw new Anthropic.APIError(undefined, body as object, undefined, headers, type);
      }
      if (!sse.data) return null;
      const event = JSON.parse(sse.data) as Anthropic.RawMessageStreamEvent;
      if (event.type === 'message_start') {
        id = event.message.id;
        model = event.message.model;
        start = event.message.usage;
        outputTokens = event.message.usage.output_tokens;
      } else if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
        const index = toolIndex.size;
        toolIndex.set(event.index, index);
        return { type: 'delta', tool_calls: [{ index, id: event.content_block.id, name: event.content_block.name }] };
      } else if (event.type === 'content_block_delta') {
        if (event.delta.type === 'text_delta') return { type: 'delta', content: event.delta.text };
        if (event.delta.type === 'input_json_delta') {
          return {
            type: 'delta',
            tool_calls: [{ index: toolIndex.get(event.index) ?? 0, arguments: event.delta.partial_json }],
          };
        }
      } else if (event.type === 'message_delta') {
        finish = stopReason(event.delta.stop_reason);
        outputTokens = event.usage.output_tokens ?? outputTokens;
      }
      return null;
    },
    done() {
      const usage: NormalizedUsage | null =
        start && (start.input_tokens > 0 || outputTokens > 0)
          ? fromAnthropicUsage({ ...start, output_tokens: outputTokens })
          : null;
      return { type: 'done', id, model, finish_reason: finish, usage };
    },
  };
}
