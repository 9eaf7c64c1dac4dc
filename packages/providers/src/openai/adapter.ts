import { fromOpenAIUsage, type NormalizedUsage, type ProviderId } from '@tollgate/schemas';
import OpenAI, { AzureOpenAI } from 'openai';
import { isAbortError, normaliseProviderError } from '../errors';
import { requestOptions } from '../request-options';
import { type SseEvent, sseEvents } from '../sse';
import type { ChatProvider, FinishReason, StreamEvent } from '../types';
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
      return streamEvents(response, request.model, options.signal, fail);
    },
  };
}

/**
 * The chunks of an OpenAI event stream as the gateway's stream events, with the SDK's rules: the
 * stream ends at `[DONE]` (what follows is read but ignored), a chunk carrying `error` fails it,
 * and an abort ends it quietly (the caller sees its signal aborted).
 */
async function* streamEvents(
  response: Response,
  requestedModel: string,
  signal: AbortSignal | undefined,
  fail: (error: unknown) => Error,
): AsyncGenerator<StreamEvent> {
  let id = '';
  let model = requestedModel;
  let finish: FinishReason = null;
  let usage: NormalizedUsage | null = null;
  let done = false;
  /** One event's delta, if it carries one; its figures are kept for the end. */
  const deltaOf = (sse: SseEvent): StreamEvent | null => {
    if (done) return null;
    if (sse.data.startsWith('[DONE]')) {
      done = true;
      return null;
    }
    const chunk = JSON.parse(sse.data) as OpenAI.Chat.ChatCompletionChunk & { error?: unknown };
    if (chunk?.error) throw new OpenAI.APIError(undefined, chunk.error as object, undefined, response.headers);
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
  };
  try {
    for await (const sse of sseEvents(
      response,
      () => new OpenAI.OpenAIError('Attempted to iterate over a response with no body'),
    )) {
      const delta = deltaOf(sse);
      if (delta) yield delta;
    }
  } catch (error) {
    if (!(signal?.aborted || isAbortError(error))) throw fail(error);
  }
  yield { type: 'done', id, model, finish_reason: finish, usage };
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
