import type { FakeLangSmith, FakeUpstream } from '@tollgate/test-tools';
import { RunTree } from 'langsmith/run_trees';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracedStack, TEST_ADMIN_TOKEN, type TestServer, type TracedStack } from './testing/test-server';

const LS_KEY = 'lsv2_pt_server_test_key_0000';

describe('LangSmith tracing of the completion path', () => {
  let fake: FakeUpstream;
  let ls: FakeLangSmith;
  let server: TestServer;
  let userKey: string;

  let stack: TracedStack;
  beforeAll(async () => {
    stack = await startTracedStack(LS_KEY, { LANGSMITH_TIMEOUT_MS: '500' });
    ({ fake, ls, server } = stack);
    userKey = await server.createKey('42');
  });
  afterAll(() => stack.close());

  async function runsOf(traceId: string, count: number) {
    for (let i = 0; i < 100; i++) {
      await server.composition.tracing.flush(1_000);
      const runs = ls.runs({ trace_id: traceId });
      if (runs.length >= count && runs.every((r) => r.end_time)) return runs;
      await new Promise((r) => setTimeout(r, 30));
    }
    return ls.runs({ trace_id: traceId });
  }

  it('traces every call: root run per entry point, llm child with provider, model, usage and cost', async () => {
    const res = await server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: userKey,
      json: { model: 'anthropic/claude-3-5-haiku-latest', prompt: 'trace me please', tags: ['auth_chat'] },
    });
    const body = (await res.json()) as { trace_id: string; id: string; cost_usd: number };
    expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
    const runs = await runsOf(body.trace_id, 2);
    const root = runs.find((r) => r.id === body.trace_id);
    const llm = runs.find((r) => r.run_type === 'llm');
    expect(root).toMatchObject({ name: 'rest.complete', run_type: 'chain', session_name: 'gateway-tests' });
    expect(root?.tags).toEqual(['auth_chat', 'rest.complete']);
    expect(root?.extra?.metadata).toMatchObject({
      user_id: '42',
      ai_provider: 'anthropic',
      model: 'claude-3-5-haiku-latest',
      request_id: body.id,
    });
    expect(llm?.extra?.metadata).toMatchObject({ ls_provider: 'anthropic', ls_model_name: 'claude-3-5-haiku-latest' });
    expect(llm?.outputs?.usage_metadata).toMatchObject({
      input_tokens: 4,
      output_tokens: 12,
      total_cost: body.cost_usd,
    });
  });

  it('traces streamed calls with their final usage', async () => {
    const client = new OpenAI({ apiKey: userKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'stream me' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let traceId = '';
    for await (const c of stream)
      traceId = (c as unknown as { tollgate?: { trace_id: string } }).tollgate?.trace_id ?? traceId;
    const runs = await runsOf(traceId, 2);
    expect(runs.find((r) => r.id === traceId)?.name).toBe('openai.chat.completions');
    expect(runs.find((r) => r.run_type === 'llm')?.outputs?.usage_metadata).toMatchObject({ output_tokens: 12 });
  });

  it('nests the gateway’s runs under a caller’s trace (langsmith-trace, baggage)', async () => {
    const caller = new RunTree({ name: 'caller_app', tracingEnabled: false });
    const headers = caller.toHeaders();
    const res = await server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: userKey,
      headers: { 'langsmith-trace': headers['langsmith-trace'], baggage: headers.baggage },
      json: { prompt: 'nested' },
    });
    const body = (await res.json()) as { trace_id: string };
    expect(body.trace_id).toBe(caller.trace_id);
    const runs = await runsOf(caller.trace_id, 2);
    expect(runs.find((r) => r.name === 'rest.complete')?.parent_run_id).toBe(caller.id);
  });

  it('records provider errors on the runs', async () => {
    fake.enqueue({ kind: 'status', status: 500, times: 3 });
    await server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: userKey,
      json: { prompt: 'fail', tags: ['will_fail'] },
    });
    await server.composition.tracing.flush(1_000);
    const failed = ls.runs().find((r) => r.tags?.includes('will_fail'));
    expect(failed?.error).toMatch(/provider_server_error/);
  });

  it('reports health on tRPC and REST, admins only', async () => {
    const rest = await server.call('/api/v1/ai/analytics/langsmith/health/', { token: TEST_ADMIN_TOKEN });
    expect(await rest.json()).toMatchObject({
      enabled: true,
      project: 'gateway-tests',
      endpoint: ls.url,
      connected: true,
      error: null,
    });
    expect((await server.call('/api/v1/ai/analytics/langsmith/health/', { token: userKey })).status).toBe(403);
    const trpc = await server.call('/trpc/admin.langsmithHealth', { token: TEST_ADMIN_TOKEN });
    expect(((await trpc.json()) as { result: { data: { connected: boolean } } }).result.data.connected).toBe(true);
  });

  it('never puts a credential in a trace', async () => {
    await server.composition.tracing.flush(1_000);
    const all = ls.bodies.join('\n');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [
      userKey,
      TEST_ADMIN_TOKEN,
      LS_KEY,
      'sk-upstream-secret-openai',
      'ant-upstream-secret',
      'Bearer ',
    ]) {
      expect(all).not.toContain(secret);
    }
  });

  it('keeps request latency unchanged while LangSmith hangs', async () => {
    const timed = async () => {
      const samples: number[] = [];
      for (let i = 0; i < 40; i++) {
        const started = performance.now();
        await server.call('/api/v1/ai/complete/', {
          method: 'POST',
          token: userKey,
          json: { prompt: 'latency probe' },
        });
        samples.push(performance.now() - started);
      }
      samples.sort((a, b) => a - b);
      return samples[Math.floor(samples.length / 2)] as number;
    };
    const healthy = await timed();
    ls.setFault('hang', 'all');
    try {
      const hanging = await timed();
      // On the request path, a hanging LangSmith would add its 500 ms upload timeout.
      expect(hanging).toBeLessThan(healthy + 50);
      const health = (await (
        await server.call('/api/v1/ai/analytics/langsmith/health/', { token: TEST_ADMIN_TOKEN })
      ).json()) as {
        connected: boolean;
        error: string;
      };
      expect(health).toMatchObject({ connected: false, error: expect.stringMatching(/^timeout/) });
    } finally {
      ls.setFault('none');
    }
  });
});
