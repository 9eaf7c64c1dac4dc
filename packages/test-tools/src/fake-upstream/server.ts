import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Fault, planReply, type Reply, type UpstreamMessage } from './scenario';

export interface RecordedRequest {
  provider: 'openai' | 'azure' | 'anthropic';
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeUpstreamOptions {
  port?: number;
  /** Delay before the response starts, ms. */
  latencyMs?: number;
  /** Delay between streamed chunks, ms. */
  chunkDelayMs?: number;
  /** Completion length when the prompt does not say (`[[reply:N]]`). */
  replyTokens?: number;
  /** Keep the last N requests (0 keeps none, for benchmarks). */
  recordLimit?: number;
}

export interface FakeUpstream {
  url: string;
  /** OPENAI_BASE_URL for the gateway. */
  openaiBaseUrl: string;
  /** ANTHROPIC_BASE_URL for the gateway. */
  anthropicBaseUrl: string;
  /** AZURE_OPENAI_ENDPOINT for the gateway. */
  azureEndpoint: string;
  requests: RecordedRequest[];
  /** Responses a `hang` fault holds open: one closes when the gateway gives up on it. */
  readonly hanging: number;
  /** Applies `fault` to the next request(s) (`times`, default 1). */
  enqueue(fault: Fault): void;
  set(options: Pick<FakeUpstreamOptions, 'latencyMs' | 'chunkDelayMs' | 'replyTokens'>): void;
  reset(): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

function text(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === 'object' && 'text' in p ? String(p.text) : '')).join(' ');
  }
  return '';
}

/**
 * A local HTTP server that speaks OpenAI chat completions (with the SSE usage chunk), Azure
 * OpenAI deployment paths and Anthropic messages (with its SSE events), with deterministic usage
 * and injectable faults. Used by the tests, the benchmark and `pnpm demo`.
 */
export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const settings = { latencyMs: 0, chunkDelayMs: 0, replyTokens: 12, ...options };
  const recordLimit = options.recordLimit ?? 1_000;
  const faults: (Fault & { left: number })[] = [];
  const requests: RecordedRequest[] = [];
  const hung = new Set<ServerResponse>();

  const takeFault = (): Fault | undefined => {
    const f = faults[0];
    if (!f) return undefined;
    f.left -= 1;
    if (f.left <= 0) faults.shift();
    return f;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET' && url.pathname === '/v1/models') {
      return json(res, 200, {
        object: 'list',
        data: ['gpt-4o-mini', 'gpt-4o'].map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })),
      });
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return json(res, 400, { error: { message: 'bad json', type: 'invalid_request_error' } });
    }
    const azure = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(url.pathname);
    const provider: RecordedRequest['provider'] | null =
      url.pathname === '/v1/chat/completions'
        ? 'openai'
        : azure
          ? 'azure'
          : url.pathname === '/v1/messages'
            ? 'anthropic'
            : null;
    if (!provider || req.method !== 'POST') return json(res, 404, { error: { message: 'not found' } });
    if (recordLimit > 0) {
      requests.push({ provider, path: url.pathname, headers: req.headers, body });
      if (requests.length > recordLimit) requests.shift();
    }

    const fault = takeFault();
    await sleep(settings.latencyMs);
    if (fault?.kind === 'hang') {
      hung.add(res);
      res.once('close', () => hung.delete(res));
      return;
    }
    if (fault?.kind === 'status') return sendFault(res, provider, fault);

    const messages: UpstreamMessage[] = [];
    if (provider === 'anthropic' && body.system) messages.push({ role: 'system', content: text(body.system) });
    for (const m of (body.messages as { role: string; content: unknown }[] | undefined) ?? []) {
      messages.push({ role: m.role, content: text(m.content) });
    }
    const tools = (body.tools as { name?: string; function?: { name: string } }[] | undefined) ?? [];
    const reply = planReply({
      messages,
      maxTokens:
        typeof body.max_tokens === 'number' ? body.max_tokens : (body.max_completion_tokens as number | undefined),
      toolNames: tools.map((t) => t.function?.name ?? t.name ?? 'tool'),
      defaultReplyTokens: settings.replyTokens,
    });
    const model = provider === 'azure' ? String(azure?.[1]) : String(body.model ?? 'unknown');
    const stream = body.stream === true;
    const withUsage = fault?.kind !== 'no_usage';
    const cut: StreamCut | null =
      fault?.kind === 'disconnect' || fault?.kind === 'stream_error'
        ? { afterChunks: fault.afterChunks, error: fault.kind === 'stream_error' }
        : null;
    if (provider === 'anthropic') {
      if (stream) return streamAnthropic(res, model, reply, withUsage, cut, settings.chunkDelayMs);
      return json(res, 200, anthropicMessage(model, reply));
    }
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    if (stream) return streamOpenAI(res, model, reply, includeUsage && withUsage, cut, settings.chunkDelayMs);
    return json(res, 200, openaiCompletion(model, reply));
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    azureEndpoint: url,
    requests,
    get hanging() {
      return hung.size;
    },
    enqueue: (fault) => faults.push({ ...fault, left: fault.times ?? 1 }),
    set: (s) => Object.assign(settings, s),
    reset: () => {
      faults.length = 0;
      requests.length = 0;
      Object.assign(settings, { latencyMs: 0, chunkDelayMs: 0, replyTokens: 12, ...options });
    },
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

function sendFault(
  res: ServerResponse,
  provider: RecordedRequest['provider'],
  fault: Extract<Fault, { kind: 'status' }>,
): void {
  const headers: Record<string, string> =
    fault.retryAfterSec !== undefined ? { 'retry-after': String(fault.retryAfterSec) } : {};
  const message = `fake upstream error ${fault.status}`;
  if (provider === 'anthropic') {
    const type =
      fault.status === 429 ? 'rate_limit_error' : fault.status >= 500 ? 'api_error' : 'invalid_request_error';
    json(res, fault.status, { type: 'error', error: { type, message } }, headers);
    return;
  }
  const type =
    fault.status === 429
      ? (fault.code ?? 'rate_limit_exceeded')
      : fault.status >= 500
        ? 'server_error'
        : 'invalid_request_error';
  json(res, fault.status, { error: { message, type, code: fault.code ?? type, param: null } }, headers);
}

const completionTokens = (r: Reply) => (r.toolCall ? 5 : r.words.length);

function openaiUsage(r: Reply) {
  return {
    prompt_tokens: r.promptTokens,
    completion_tokens: completionTokens(r),
    total_tokens: r.promptTokens + completionTokens(r),
    prompt_tokens_details: { cached_tokens: r.cachedTokens },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

function openaiCompletion(model: string, r: Reply) {
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: r.toolCall ? null : r.words.join(' '),
          ...(r.toolCall && {
            tool_calls: [{ id: 'call_fake_1', type: 'function', function: r.toolCall }],
          }),
          refusal: null,
        },
        finish_reason: r.finishReason,
        logprobs: null,
      },
    ],
    usage: openaiUsage(r),
  };
}

async function streamOpenAI(
  res: ServerResponse,
  model: string,
  r: Reply,
  includeUsage: boolean,
  cut: StreamCut | null,
  chunkDelayMs: number,
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: object, finish: string | null, usage: object | null = null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: usage && !finish && Object.keys(delta).length === 0 ? [] : [{ index: 0, delta, finish_reason: finish, logprobs: null }], usage })}\n\n`;
  const events = [chunk({ role: 'assistant', content: '' }, null)];
  if (r.toolCall) {
    events.push(chunk({ tool_calls: [{ index: 0, id: 'call_fake_1', type: 'function', function: r.toolCall }] }, null));
  }
  r.words.forEach((w, i) => {
    events.push(chunk({ content: i === 0 ? w : ` ${w}` }, null));
  });
  events.push(chunk({}, r.finishReason));
  if (includeUsage) events.push(chunk({}, null, openaiUsage(r)));
  events.push('data: [DONE]\n\n');
  const error = { message: 'fake upstream error mid-stream', type: 'server_error', param: null, code: null };
  await writeEvents(res, events, cut, chunkDelayMs, `data: ${JSON.stringify({ error })}\n\n`);
}

function anthropicMessage(model: string, r: Reply) {
  return {
    id: `msg_${randomUUID().replaceAll('-', '')}`,
    type: 'message',
    role: 'assistant',
    model,
    content: r.toolCall
      ? [{ type: 'tool_use', id: 'toolu_fake_1', name: r.toolCall.name, input: JSON.parse(r.toolCall.arguments) }]
      : [{ type: 'text', text: r.words.join(' ') }],
    stop_reason: r.toolCall ? 'tool_use' : r.finishReason === 'length' ? 'max_tokens' : 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: r.promptTokens - r.cachedTokens,
      output_tokens: completionTokens(r),
      cache_read_input_tokens: r.cachedTokens,
      cache_creation_input_tokens: 0,
    },
  };
}

async function streamAnthropic(
  res: ServerResponse,
  model: string,
  r: Reply,
  withUsage: boolean,
  cut: StreamCut | null,
  chunkDelayMs: number,
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const msg = anthropicMessage(model, r);
  const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const startUsage = withUsage ? { ...msg.usage, output_tokens: 1 } : { input_tokens: 0, output_tokens: 0 };
  const events = [ev('message_start', { message: { ...msg, content: [], stop_reason: null, usage: startUsage } })];
  if (r.toolCall) {
    events.push(
      ev('content_block_start', {
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_fake_1', name: r.toolCall.name, input: {} },
      }),
      ev('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: r.toolCall.arguments } }),
    );
  } else {
    events.push(ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
    r.words.forEach((w, i) => {
      events.push(ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: i === 0 ? w : ` ${w}` } }));
    });
  }
  events.push(ev('content_block_stop', { index: 0 }));
  events.push(
    ev('message_delta', {
      delta: { stop_reason: msg.stop_reason, stop_sequence: null },
      usage: { output_tokens: withUsage ? msg.usage.output_tokens : 0 },
    }),
  );
  events.push(ev('message_stop', {}));
  const error = ev('error', { error: { type: 'overloaded_error', message: 'fake upstream error mid-stream' } });
  await writeEvents(res, events, cut, chunkDelayMs, error);
}

/** Where a faulty stream stops: after so many events, by dropping the connection or with an error event. */
interface StreamCut {
  afterChunks: number;
  error: boolean;
}

async function writeEvents(
  res: ServerResponse,
  events: string[],
  cut: StreamCut | null,
  delayMs: number,
  errorEvent: string,
) {
  for (const [i, e] of events.entries()) {
    if (cut && i >= cut.afterChunks) {
      if (cut.error) res.end(errorEvent);
      else res.destroy();
      return;
    }
    if (res.destroyed) return;
    res.write(e);
    if (delayMs > 0) await sleep(delayMs);
  }
  res.end();
}
