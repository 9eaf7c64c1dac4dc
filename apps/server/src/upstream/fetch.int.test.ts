import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { LightAbortController, takesLightSignals } from '@tollgate/abort';
import { createOpenAIProvider } from '@tollgate/providers';
import { type FakeUpstream, freePort, startFakeUpstream } from '@tollgate/test-tools';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamFetch } from './fetch';

async function collect(body: AsyncIterable<Uint8Array>): Promise<string> {
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of body) text += decoder.decode(chunk, { stream: true });
  return text;
}

describe('the upstream fetch the provider SDKs use', () => {
  let fake: FakeUpstream;
  const upstreamFetch = createUpstreamFetch();
  const chat = (body: Record<string, unknown>, init: RequestInit = {}) =>
    upstreamFetch(`${fake.openaiBaseUrl}/chat/completions`, {
      method: 'POST',
      headers: new Headers({ 'content-type': 'application/json', authorization: 'Bearer sk-test' }),
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...body }),
      ...init,
    });

  beforeAll(async () => {
    fake = await startFakeUpstream({ chunkDelayMs: 20, replyTokens: 20 });
  });
  afterAll(() => fake.close());

  it('sends method, headers and body, and answers like fetch', async () => {
    const res = await chat({});
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.headers.get('Content-Type')).toMatch(/json/);
    expect(res.headers.has('content-length')).toBe(true);
    expect([...res.headers.entries()].some(([name]) => name === 'content-type')).toBe(true);
    expect(res.bodyUsed).toBe(false);
    expect(((await res.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBe(20);
    expect(res.bodyUsed).toBe(true);
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer sk-test');
    expect(fake.requests.at(-1)?.body).toMatchObject({ model: 'gpt-4o-mini' });
  });

  it('sends headers given as a Headers, a plain object (the prepared SDK path) or name/value pairs', async () => {
    const forms: RequestInit['headers'][] = [
      new Headers({ authorization: 'Bearer form-headers', 'x-form': 'headers' }),
      { authorization: 'Bearer form-object', 'x-form': 'object' },
      [
        ['authorization', 'Bearer form-pairs'],
        ['x-form', 'pairs'],
      ],
    ];
    for (const headers of forms) {
      const res = await chat({}, { headers });
      expect(res.status).toBe(200);
      await res.text();
    }
    expect(fake.requests.slice(-3).map((r) => [r.headers.authorization, r.headers['x-form']])).toEqual([
      ['Bearer form-headers', 'headers'],
      ['Bearer form-object', 'object'],
      ['Bearer form-pairs', 'pairs'],
    ]);
  });

  it('carries the prepared headers of the OpenAI client: its credential reaches the upstream on every call', async () => {
    const openai = createOpenAIProvider({ apiKey: 'sk-prepared', baseURL: fake.openaiBaseUrl, fetch: upstreamFetch });
    for (let i = 0; i < 3; i++) {
      await openai.complete({ model: 'gpt-4o-mini', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    }
    expect(fake.requests.slice(-3).map((r) => r.headers.authorization)).toEqual(Array(3).fill('Bearer sk-prepared'));
  });

  it('answers an error status with its body, not a rejection', async () => {
    fake.enqueue({ kind: 'status', status: 429, retryAfterSec: 3 });
    const res = await chat({});
    expect(res.status).toBe(429);
    expect(res.ok).toBe(false);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.text()).toContain('error');
  });

  it('streams a response as it arrives and stops the upstream on abort', async () => {
    const controller = new AbortController();
    const res = await chat({ stream: true }, { signal: controller.signal });
    const chunks = (res.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    const first = await chunks.next();
    expect(new TextDecoder().decode(first.value)).toContain('data:');
    controller.abort();
    const error = await chunks.next().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'AbortError' });
  });

  it('rejects with AbortError when aborted before the answer, and TypeError when unreachable', async () => {
    fake.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const pending = chat({}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    const aborted = new AbortController();
    aborted.abort();
    await expect(chat({}, { signal: aborted.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const closed = await freePort();
    await expect(upstreamFetch(`http://127.0.0.1:${closed}/v1/models`)).rejects.toBeInstanceOf(TypeError);
  });

  it("takes a LightAbortSignal as it takes Node's, and is marked so for the providers", async () => {
    // Unmarked, the OpenAI client would quietly go back to a Node signal per call.
    expect(takesLightSignals(upstreamFetch)).toBe(true);
    fake.enqueue({ kind: 'hang' });
    const waiting = new LightAbortController();
    const pending = chat({}, { signal: waiting.signal });
    for (let i = 0; i < 100 && fake.hanging === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(fake.hanging).toBe(1);
    const reason = new DOMException('client gone', 'AbortError');
    waiting.abort(reason);
    await expect(pending).rejects.toBe(reason);
    // The request to the upstream is closed, not left waiting for its answer.
    for (let i = 0; i < 100 && fake.hanging > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(fake.hanging).toBe(0);

    const streaming = new LightAbortController();
    const res = await chat({ stream: true }, { signal: streaming.signal });
    const chunks = (res.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    await chunks.next();
    streaming.abort();
    await expect(chunks.next()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('fails a stream cut by the upstream with a TypeError, as fetch does', async () => {
    fake.enqueue({ kind: 'disconnect', afterChunks: 2 });
    const res = await chat({ stream: true });
    await expect(collect(res.body as unknown as AsyncIterable<Uint8Array>)).rejects.toBeInstanceOf(TypeError);
  });

  it('drives both official SDKs, JSON and streaming', async () => {
    const openai = new OpenAI({ apiKey: 'sk-test', baseURL: fake.openaiBaseUrl, fetch: upstreamFetch, maxRetries: 0 });
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello [[reply:5]]' }],
    });
    expect(completion.usage?.completion_tokens).toBe(5);
    const chunks = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello [[reply:5]]' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage = 0;
    for await (const chunk of chunks) usage = chunk.usage?.completion_tokens ?? usage;
    expect(usage).toBe(5);

    const anthropic = new Anthropic({ apiKey: 'sk-ant', baseURL: fake.anthropicBaseUrl, fetch: upstreamFetch });
    const message = await anthropic.messages.create({
      model: 'claude-3-5-haiku-latest',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hello [[reply:4]]' }],
    });
    expect(message.usage.output_tokens).toBe(4);
    const events = await anthropic.messages.create({
      model: 'claude-3-5-haiku-latest',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hello [[reply:4]]' }],
      stream: true,
    });
    let outputTokens = 0;
    for await (const event of events) if (event.type === 'message_delta') outputTokens = event.usage.output_tokens;
    expect(outputTokens).toBe(4);
  });
});

describe('the upstream fetch against a plain server', () => {
  let server: Server;
  let base: string;
  const sockets = new Set<unknown>();
  const upstreamFetch = createUpstreamFetch({ maxSocketsPerHost: 4 });

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/empty') return res.writeHead(204).end();
      if (req.url === '/cookies') {
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        return res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }
      if (req.url === '/broken-json') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":');
      if (req.url === '/stalls') {
        // Headers and half a body, then silence: only a body timeout ends this.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"partial":');
        return;
      }
      if (req.url === '/events') {
        // Three events in one write, then one cut in two across writes, then a tail with no blank line.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"n":1}\n\ndata: {"n":2}\n\nevent: x\ndata: {"n":3}\n\ndata: {"n"');
        setTimeout(() => res.end(':4}\n\ndata: tail'), 20);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
    });
    server.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reuses kept-alive connections, at most maxSocketsPerHost at once', async () => {
    sockets.clear();
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => upstreamFetch(`${base}/r${i}?q=1`).then((r) => r.json())),
      );
      expect(answers.map((a) => (a as { path: string }).path)).toEqual(
        Array.from({ length: 8 }, (_, i) => `/r${i}?q=1`),
      );
    }
    expect(sockets.size).toBe(4);
  });

  it('answers 204 with no body, and keeps repeated headers apart', async () => {
    const empty = await upstreamFetch(`${base}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    expect(await empty.text()).toBe('');
    const cookies = await upstreamFetch(`${base}/cookies`);
    expect(cookies.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(cookies.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(cookies.headers.get('constructor')).toBeNull();
    expect(cookies.headers.has('toString')).toBe(false);
    expect(await cookies.text()).toBe('ok');
  });

  it('hands an event stream over as it arrives, bytes unchanged (the adapters cut the events)', async () => {
    const res = await upstreamFetch(`${base}/events`);
    const chunks: string[] = [];
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
      chunks.push(Buffer.from(chunk).toString());
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks.join('')).toBe(
      'data: {"n":1}\n\ndata: {"n":2}\n\nevent: x\ndata: {"n":3}\n\ndata: {"n":4}\n\ndata: tail',
    );
  });

  it('rejects a malformed JSON body with a SyntaxError, as fetch does', async () => {
    const res = await upstreamFetch(`${base}/broken-json`);
    await expect(res.json()).rejects.toBeInstanceOf(SyntaxError);
  });

  it('fails a body that goes silent after the idle timeout, with a TypeError', async () => {
    const impatient = createUpstreamFetch({ bodyIdleTimeoutMs: 200 });
    const res = await impatient(`${base}/stalls`);
    expect(res.status).toBe(200);
    const started = performance.now();
    await expect(res.json()).rejects.toBeInstanceOf(TypeError);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('hands what it does not speak to the global fetch', async () => {
    const res = await upstreamFetch(`${base}/via-global`, {
      method: 'POST',
      body: new URLSearchParams({ a: '1' }),
    });
    expect(res).toBeInstanceOf(Response);
    expect(await res.json()).toEqual({ path: '/via-global' });
  });
});
