import { type FakeUpstream, freePort, startFakeUpstream } from '@tollgate/test-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamFetch } from './upstream-fetch';

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
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(((await res.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBe(20);
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer sk-test');
  });

  it('streams a response as it arrives and stops the upstream on abort', async () => {
    const controller = new AbortController();
    const res = await chat({ stream: true }, { signal: controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('data:');
    controller.abort();
    const error = await reader.read().then(
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
    const closed = await freePort();
    await expect(upstreamFetch(`http://127.0.0.1:${closed}/v1/models`)).rejects.toBeInstanceOf(TypeError);
  });
});
