import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CompletionJson, createCaller, directCompletions } from '@tollgate/api';
import { readJsonBody } from '../http/body';
import { clientGone, type RequestContextFactory } from '../http/request-context';
import { sendJson } from '../http/respond';
import { endSse, firstOf, startSse, writeSse } from '../http/sse';
import { sendOpenAIError, toOpenAIError } from './errors';
import { parseOpenAIRequest, toCompletionInput } from './map-request';
import { chunkEncoder, toChatCompletion, usageChunk } from './map-response';

export interface OpenAIRoutesOptions {
  contextFor: RequestContextFactory;
  maxBodyBytes: number;
  onInternalError: (error: unknown) => void;
}

const ENTRY = 'openai.chat.completions';

/** OpenAI-compatible surface: any OpenAI client pointed at `<tollgate>/v1` works with a Tollgate key. */
export function createOpenAIRoutes(options: OpenAIRoutesOptions) {
  const fail = (res: ServerResponse, error: unknown) => sendOpenAIError(res, error, options.onInternalError);

  async function chatCompletions(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ctx = options.contextFor(req, res, ENTRY);
    const auth = await ctx.authenticate();
    if (!auth.ok) {
      const status = auth.code === 'TOO_MANY_AUTH_FAILURES' ? 429 : 401;
      sendJson(
        res,
        status,
        {
          error: {
            message: auth.message,
            type: status === 401 ? 'authentication_error' : 'rate_limit_error',
            param: null,
            code: auth.code,
          },
        },
        { 'x-should-retry': 'false', ...(auth.retryAfterSec && { 'retry-after': auth.retryAfterSec }) },
      );
      return;
    }
    const body = await readJsonBody(req, res, options.maxBodyBytes);
    const parsed = parseOpenAIRequest(body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const param = first?.path.join('.') || null;
      sendJson(res, 400, {
        error: {
          message: `${param ? `${param}: ` : ''}${first?.message ?? 'invalid request'}`,
          type: 'invalid_request_error',
          param,
          code: 'invalid_input',
        },
      });
      return;
    }
    const request = parsed.data;
    const input = toCompletionInput(request, auth.principal.role !== 'user');
    const completions = directCompletions(ctx, clientGone(req, res));
    const created = Math.floor(Date.now() / 1000);

    if (!request.stream) {
      const result = await completions.complete(input);
      sendJson(res, 200, toChatCompletion(result, request.model, created));
      return;
    }

    const { first, rest } = await firstOf(await completions.stream(input));
    const id = `chatcmpl-${ctx.requestId}`;
    const chunk = chunkEncoder(id, request.model, created);
    startSse(res);
    writeSse(res, chunk({ role: 'assistant', content: '' }));
    let next = first;
    try {
      while (!next.done) {
        const event = next.value;
        if (event.type === 'delta') {
          const delta: Record<string, unknown> = {};
          if (event.content) delta.content = event.content;
          if (event.tool_calls.length > 0) {
            delta.tool_calls = event.tool_calls.map((t) => ({
              index: t.index,
              ...(t.id && { id: t.id, type: 'function' }),
              function: { ...(t.name && { name: t.name }), arguments: t.arguments ?? '' },
            }));
          }
          writeSse(res, chunk(delta));
        } else {
          const done = event as unknown as CompletionJson;
          writeSse(res, chunk({}, done.finish_reason ?? 'stop'));
          if (request.stream_options?.include_usage) writeSse(res, usageChunk(id, request.model, created, done));
        }
        next = await rest.next();
      }
      writeSse(res, '[DONE]');
    } catch (error) {
      writeSse(res, toOpenAIError(error, options.onInternalError).body);
    } finally {
      endSse(res);
    }
  }

  async function models(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ctx = options.contextFor(req, res, 'openai.models');
    const auth = await ctx.authenticate();
    if (!auth.ok) {
      sendJson(res, 401, {
        error: { message: auth.message, type: 'authentication_error', param: null, code: auth.code },
      });
      return;
    }
    const caller = createCaller(ctx);
    const { models: list } = await caller.ai.models();
    sendJson(res, 200, {
      object: 'list',
      data: list.map((m) => ({ id: m.id, object: 'model', created: 0, owned_by: m.provider })),
    });
  }

  return async function handleOpenAI(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    try {
      const route = path.replace(/\/+$/, '');
      if (route === '/v1/chat/completions' && req.method === 'POST') return await chatCompletions(req, res);
      if (route === '/v1/models' && req.method === 'GET') return await models(req, res);
      sendJson(res, 404, {
        error: {
          message: `Unknown endpoint ${req.method} ${path}`,
          type: 'invalid_request_error',
          param: null,
          code: 'not_found',
        },
      });
    } catch (error) {
      if (res.headersSent) {
        res.end();
        return;
      }
      fail(res, error);
    }
  };
}
