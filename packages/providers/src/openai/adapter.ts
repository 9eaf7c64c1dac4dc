import { fromOpenAIUsage, type NormalizedUsage, type ProviderId } from '@tollgate/schemas';
import OpenAI, { AzureOpenAI } from 'openai';
import { normaliseProviderError } from '../errors';
import { readEventStream, type StreamEventMapper } from '../event-stream';
import { requestOptions } from '../request-options';
import type { ChatProvider, FinishReason } from '../types';
import { finishReason, fromOpenAICompletion, toOpenAIParams } from './map';
import { withPreparedRequests } from './prepared-requests';

const OpenAIClient = withPreparedRequests(OpenAI);
const AzureOpenAIClient = withPreparedRequests(AzureOpenAI);

export interface OpenAIProviderOptions {
  apiKey: string;
  /** Configuration only: a request can never choose where the gateway sends its key. */
  baseURL?: string | undefined;
  /** A faster fetch for the hot path (the SDK's default is the global fetch). */
  fetch?: typeof fetch | undefined;
}

export interface AzureProviderOptions {
  apiKey: string;
  endpoint: string;
  apiVersion: string;
  fetch?: typeof fetch | undefined;
}

function adapter(id: ProviderId, client: OpenAI): ChatProvider {
  const fail = (error: unknown) => normaliseProviderError(error, id);
  return {
    id,
    async complete(request, options = {}) {
      try {
        const completion = await client.chat.completions.create(toOpenAIParams(request), requestOptions(options));
        return fromOpenAICompletion(completion);
      } catch (error) {
        throw fail(error);
      }
    },
    async stream(request, options = {}) {
      let response: Response;
      try {
        // The raw response: its events are read here, not by the SDK's stream reader (see sse.ts).
        response = await client.chat.completions
          .create(
            Object.assign(toOpenAIParams(request), {
              stream: true,
              stream_options: { include_usage: true },
            }) as unknown as OpenAI.Chat.ChatCompletionCreateParamsStreaming,
            requestOptions(options),
          )
          .asResponse();
      } catch (error) {
        throw fail(error);
      }
      return readEventStream(response, openAIChunks(request.model, response.headers), options.signal, fail);
    },
  };
}

/**
 * An OpenAI event stream's chunks, with the SDK's rules: the stream ends at `[DONE]` (what follows
 * is read but ignored) and a chunk carrying `error` fails it.
 */
function openAIChunks(requestedModel: string, headers: Headers): StreamEventMapper {
  let id = '';
  let model = requestedModel;
  let finish: FinishReason = null;
  let usage: NormalizedUsage | null = null;
  let ended = false;
  return {
    delta(sse) {
      if (ended) return null;
      if (sse.data.startsWith('[DONE]')) {
        ended = true;
        return null;
      }
      const chunk = JSON.parse(sse.data) as OpenAI.Chat.ChatCompletionChunk & { error?: unknown };
      if (chunk?.error) throw new OpenAI.APIError(undefined, chunk.error as object, undefined, headers);
      id ||= chunk.id;
      model = chunk.model || model;
      if (chunk.usage) usage = fromOpenAIUsage(chunk.usage);
      const choice = chunk.choices?.[0];
      if (!choice) return null;
      if (choice.finish_reason) finish = finishReason(choice.finish_reason);
      const { content, tool_calls } = choice.delta ?? {};
      if (!content && !tool_calls?.length) return null;
      return {
        type: 'delta',
        ...(content && { content }),
        ...(tool_calls?.length && {
          tool_calls: tool_calls.map((t) => ({
            index: t.index,
            ...(t.id && { id: t.id }),
            ...(t.function?.name && { name: t.function.name }),
            ...(t.function?.arguments && { arguments: t.function.arguments }),
          })),
        }),
      };
    },
    done: () => ({ type: 'done', id, model, finish_reason: finish, usage }),
  };
}

export function createOpenAIProvider(options: OpenAIProviderOptions): ChatProvider {
  return adapter(
    'openai',
    new OpenAIClient({
      apiKey: options.apiKey,
      maxRetries: 0,
      ...(options.baseURL && { baseURL: options.baseURL }),
      ...(options.fetch && { fetch: options.fetch }),
    }),
  );
}

/** Azure OpenAI: the request's model is the deployment name, as in Azure's own URLs. */
export function createAzureOpenAIProvider(options: AzureProviderOptions): ChatProvider {
  return adapter(
    'azure',
    new AzureOpenAIClient({
      apiKey: options.apiKey,
      endpoint: options.endpoint,
      apiVersion: options.apiVersion,
      maxRetries: 0,
      ...(options.fetch && { fetch: options.fetch }),
    }),
  );
}
