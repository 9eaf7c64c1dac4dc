import Anthropic from '@anthropic-ai/sdk';
import { fromAnthropicUsage, type NormalizedUsage } from '@tollgate/schemas';
import { normaliseProviderError } from '../errors';
import { requestOptions } from '../request-options';
import type { ChatProvider, FinishReason, StreamEvent } from '../types';
import { fromAnthropicMessage, stopReason, toAnthropicParams } from './map';

export interface AnthropicProviderOptions {
  apiKey: string;
  baseURL?: string | undefined;
  fetch?: typeof fetch | undefined;
}

export function createAnthropicProvider(options: AnthropicProviderOptions): ChatProvider {
  const client = new Anthropic({
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
      let stream: AsyncIterable<Anthropic.RawMessageStreamEvent>;
      try {
        stream = await client.messages.create(
          Object.assign(toAnthropicParams(request), {
            stream: true,
          }) as unknown as Anthropic.MessageCreateParamsStreaming,
          requestOptions(callOptions),
        );
      } catch (error) {
        throw fail(error);
      }
      return (async function* (): AsyncGenerator<StreamEvent> {
        let id = '';
        let model = request.model;
        let finish: FinishReason = null;
        let start: Anthropic.Usage | null = null;
        let outputTokens = 0;
        const toolIndex = new Map<number, number>();
        try {
          for await (const event of stream) {
            if (event.type === 'message_start') {
              id = event.message.id;
              model = event.message.model;
              start = event.message.usage;
              outputTokens = event.message.usage.output_tokens;
            } else if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
              const index = toolIndex.size;
              toolIndex.set(event.index, index);
              yield {
                type: 'delta',
                tool_calls: [{ index, id: event.content_block.id, name: event.content_block.name }],
              };
            } else if (event.type === 'content_block_delta') {
              if (event.delta.type === 'text_delta') yield { type: 'delta', content: event.delta.text };
              else if (event.delta.type === 'input_json_delta') {
                yield {
                  type: 'delta',
                  tool_calls: [{ index: toolIndex.get(event.index) ?? 0, arguments: event.delta.partial_json }],
                };
              }
            } else if (event.type === 'message_delta') {
              finish = stopReason(event.delta.stop_reason);
              outputTokens = event.usage.output_tokens ?? outputTokens;
            }
          }
        } catch (error) {
          throw fail(error);
        }
        const usage: NormalizedUsage | null =
          start && (start.input_tokens > 0 || outputTokens > 0)
            ? fromAnthropicUsage({ ...start, output_tokens: outputTokens })
            : null;
        yield { type: 'done', id, model, finish_reason: finish, usage };
      })();
    },
  };
}
