import { type FakeLangSmith, startFakeLangSmith } from '@tollgate/test-tools';
import { RunTree } from 'langsmith/run_trees';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TraceStartInfo } from './completion-tracer';
import { TracingConfigError, validateTracingConfig } from './config';
import { createTracing, type Tracing } from './langsmith-tracing';
import type { RunPayload } from './run-exporter';

const KEY = 'lsv2_test_key_1234567890';
let fake: FakeLangSmith;
let tracing: Tracing;

beforeAll(async () => {
  fake = await startFakeLangSmith({ apiKey: KEY });
  tracing = createTracing({
    enabled: true,
    apiKey: KEY,
    project: 'tollgate-test',
    endpoint: fake.url,
    timeoutMs: 1_000,
  });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const info = (over: Partial<TraceStartInfo> = {}): TraceStartInfo => ({
  entryPoint: 'ai.complete',
  requestId: 'req-1',
  userId: '123',
  provider: 'openai',
  model: 'gpt-4o-mini',
  tags: ['auth_chat', 'ai.complete'],
  messages: [{ role: 'user', content: 'secret prompt text' }],
  params: { max_tokens: 50, temperature: 0.2 },
  startedAt: Date.now(),
  ...over,
});

const end = {
  status: 'success' as const,
  content: 'the answer',
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 2, cacheWriteTokens: 0, reasoningTokens: 0 },
  costMicros: 1234,
  estimated: false,
  error: null,
  endedAt: Date.now(),
};

async function settled(traceId: string, count: number) {
  for (let i = 0; i < 100; i++) {
    await tracing.flush(2_000);
    const runs = fake.runs({ trace_id: traceId });
    if (runs.length >= count && runs.every((r) => r.end_time)) return runs;
    await new Promise((r) => setTimeout(r, 50));
  }
  return fake.runs({ trace_id: traceId });
}

describe('completion traces', () => {
  it('a root run per entry point with an llm child carrying provider, model, usage and cost', async () => {
    const trace = tracing.completionTracer.start(info());
    expect(trace.traceId).toMatch(/^[0-9a-f-]{36}$/);
    trace.end(end);
    const runs = await settled(trace.traceId as string, 2);
    const root = runs.find((r) => r.name === 'ai.complete');
    const llm = runs.find((r) => r.run_type === 'llm');
    expect(root).toMatchObject({ id: trace.traceId, run_type: 'chain', session_name: 'tollgate-test' });
    expect(root?.parent_run_id).toBeFalsy();
    expect(root?.tags).toEqual(['auth_chat', 'ai.complete']);
    expect(root?.extra?.metadata).toMatchObject({
      user_id: '123',
      ai_provider: 'openai',
      model: 'gpt-4o-mini',
      request_id: 'req-1',
      entry_point: 'ai.complete',
    });
    expect(llm).toMatchObject({ parent_run_id: trace.traceId, name: 'openai.chat.completions' });
    expect(llm?.extra?.metadata).toMatchObject({ ls_provider: 'openai', ls_model_name: 'gpt-4o-mini' });
    expect(llm?.outputs?.usage_metadata).toMatchObject({
      input_tokens: 10,
      output_tokens: 5,
      total_tokens: 15,
      total_cost: 0.001234,
    });
    expect(root?.extra?.metadata?.ls_provider).toBeUndefined();
  });

  it('sends, when flushed, the runs of a call that ended in the same turn (as at shutdown)', async () => {
    const trace = tracing.completionTracer.start(info({ requestId: 'req-flush' }));
    trace.end(end);
    await tracing.flush(2_000);
    expect(fake.runs({ trace_id: trace.traceId as string })).toHaveLength(2);
  });

  it('records errors on the runs', async () => {
    const trace = tracing.completionTracer.start(info({ entryPoint: 'openai.chat.completions' }));
    trace.end({
      ...end,
      status: 'error',
      content: null,
      usage: null,
      error: { class: 'provider_timeout', message: 'openai did not answer in time' },
    });
    const runs = await settled(trace.traceId as string, 2);
    expect(runs.every((r) => String(r.error).includes('provider_timeout'))).toBe(true);
  });

  it('writes runs whose every field reads back exactly, whatever the strings hold', async () => {
    const odd = 'q"uo\\te\n\t</script> ünï 😀 \u2028';
    // A time whose ISO form has every field non-zero, so a slip in any of them shows.
    const startedAt = Date.UTC(2026, 10, 27, 13, 47, 58, 9);
    const trace = tracing.completionTracer.start(
      info({
        startedAt,
        userId: odd,
        requestId: `req-${odd}`,
        model: `m${odd}`,
        entryPoint: `ep${odd}`,
        tags: [odd, 'plain'],
        messages: [{ role: 'user', content: odd }],
        params: { max_tokens: 7, temperature: 0.5, top_p: undefined },
        prompt: { name: `p${odd}`, version: 'abc123' },
      }),
    );
    trace.end({
      ...end,
      status: 'error',
      content: odd,
      toolCalls: [{ id: odd, type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
      finishReason: null,
      costMicros: 7,
      estimated: true,
      error: { class: 'provider_error', message: odd },
    });
    const runs = await settled(trace.traceId as string, 2);
    const root = runs.find((r) => r.run_type === 'chain');
    const llm = runs.find((r) => r.run_type === 'llm');
    const meta = {
      user_id: odd,
      ai_provider: 'openai',
      model: `m${odd}`,
      request_id: `req-${odd}`,
      entry_point: `ep${odd}`,
      prompt_name: `p${odd}`,
      prompt_version: 'abc123',
      cost_usd: 0.000007,
      estimated: true,
      status: 'error',
    };
    const outputs = {
      content: odd,
      tool_calls: [{ id: odd, type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
      finish_reason: null,
      usage_metadata: {
        input_tokens: 10,
        output_tokens: 5,
        total_tokens: 15,
        input_token_details: { cache_read: 2, cache_creation: 0 },
        output_token_details: { reasoning: 0 },
        total_cost: 0.000007,
      },
    };
    // Typed as the wire shape the exporter documents: a field the tracer adds or drops fails here.
    const traceId = trace.traceId as string;
    const expectedRoot: RunPayload = {
      id: traceId,
      trace_id: traceId,
      dotted_order: expect.any(String),
      name: `ep${odd}`,
      run_type: 'chain',
      start_time: '2026-11-27T13:47:58.009Z',
      end_time: new Date(end.endedAt).toISOString(),
      session_name: 'tollgate-test',
      tags: [odd, 'plain'],
      error: `provider_error: ${odd}`,
      inputs: { messages: [{ role: 'user', content: odd }], max_tokens: 7, temperature: 0.5 },
      outputs: { ...outputs, cost_usd: 0.000007 },
      extra: { metadata: meta },
    };
    expect(root).toEqual(expectedRoot);
    expect(llm).toMatchObject({
      parent_run_id: trace.traceId,
      name: 'openai.chat.completions',
      tags: [`ep${odd}`],
      inputs: root?.inputs,
      outputs,
      extra: {
        metadata: { ...meta, ls_provider: 'openai', ls_model_name: `m${odd}`, ls_model_type: 'chat', ls_max_tokens: 7 },
      },
    });
    expect(llm?.extra?.metadata?.ls_temperature).toBe(0.5);
  });

  it('nests under a caller’s trace sent as langsmith-trace/baggage headers', async () => {
    const caller = new RunTree({ name: 'caller_app', client: undefined, tracingEnabled: false });
    const headers = caller.toHeaders();
    const trace = tracing.completionTracer.start(
      info({ parentHeaders: { 'langsmith-trace': headers['langsmith-trace'], baggage: headers.baggage } }),
    );
    expect(trace.traceId).toBe(caller.trace_id);
    trace.end(end);
    const runs = await settled(caller.trace_id, 2);
    const root = runs.find((r) => r.name === 'ai.complete');
    expect(root?.parent_run_id).toBe(caller.id);
    expect(root?.extra?.metadata).toMatchObject({ user_id: '123', request_id: 'req-1', status: 'success' });
    expect(runs.find((r) => r.run_type === 'llm')?.extra?.metadata).toMatchObject({
      user_id: '123',
      ls_provider: 'openai',
      ls_max_tokens: 50,
      cost_usd: 0.001234,
    });
  });
});

describe('run identity and sampling', () => {
  it('gives runs UUIDv7 ids and dotted orders that nest under their parent and sort in start order', async () => {
    const trace = tracing.completionTracer.start(info());
    trace.end(end);
    const runs = await settled(trace.traceId as string, 2);
    const root = runs.find((r) => r.run_type === 'chain');
    const llm = runs.find((r) => r.run_type === 'llm');
    expect(root?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(root?.dotted_order).toMatch(new RegExp(`^\\d{8}T\\d{6}\\d{3}001Z${root?.id}$`));
    expect(llm?.dotted_order).toBe(`${root?.dotted_order}.${String(llm?.dotted_order).split('.')[1]}`);
    expect(String(llm?.dotted_order).split('.')[1]).toMatch(new RegExp(`002Z${llm?.id}$`));
    expect(new Date(String(root?.end_time)).getTime()).toBe(end.endedAt);
  });

  it('keeps no root traces at a sampling rate of 0 but follows a caller who traced', async () => {
    const none = createTracing({ enabled: true, apiKey: KEY, project: 'p', endpoint: fake.url, samplingRate: 0 });
    const dropped = none.completionTracer.start(info());
    expect(dropped.traceId).toBeNull();
    dropped.end(end);
    const caller = new RunTree({ name: 'caller_app', client: undefined, tracingEnabled: false });
    const headers = caller.toHeaders();
    const kept = none.completionTracer.start(
      info({ parentHeaders: { 'langsmith-trace': headers['langsmith-trace'] } }),
    );
    expect(kept.traceId).toBe(caller.trace_id);
    kept.end(end);
    await none.flush(2_000);
    expect(fake.runs()).toHaveLength(2);
    expect(fake.runs().every((r) => r.trace_id === caller.trace_id)).toBe(true);
  });

  it('retries an upload LangSmith failed with a 5xx, so a short outage loses no trace', async () => {
    const local = await startFakeLangSmith({ apiKey: KEY });
    const t = createTracing({ enabled: true, apiKey: KEY, project: 'p', endpoint: local.url, maxRetries: 2 });
    local.setFault('error');
    const trace = t.completionTracer.start(info());
    trace.end(end);
    await new Promise((r) => setTimeout(r, 300));
    expect(local.runs()).toHaveLength(0);
    local.setFault('none');
    await t.flush(5_000);
    expect(local.runs({ trace_id: trace.traceId as string })).toHaveLength(2);
    expect(t.stats().failed).toBeGreaterThan(0);
    await local.close();
  });

  it('bounds the memory held for unsent runs, dropping and counting what does not fit', async () => {
    const local = await startFakeLangSmith({ apiKey: KEY });
    local.setFault('hang');
    const small = createTracing({
      enabled: true,
      apiKey: KEY,
      project: 'p',
      endpoint: local.url,
      timeoutMs: 60_000,
      maxRetries: 0,
      maxMemoryBytes: 20_000,
    });
    for (let i = 0; i < 100; i++) small.completionTracer.start(info({ requestId: `m${i}` })).end(end);
    // The runs are written and queued once the turn they ended in is over.
    await new Promise((r) => setImmediate(r));
    expect(small.stats().dropped).toBeGreaterThan(50);
    local.setFault('none');
    await local.close();
  });
});

describe('custom and nested traces', () => {
  it('reproduces project_chat_stream > project_agent > agent_node > LLM call, tool_node > fetch_github_metadata', async () => {
    const fetchGithubMetadata = tracing.traced(
      'fetch_github_metadata',
      async (repo: string) => ({ stars: repo.length }),
      'tool',
    );
    const toolNode = tracing.traced('tool_node', async (repo: string) => fetchGithubMetadata(repo));
    const agentNode = tracing.traced('agent_node', async (question: string) => {
      const llm = tracing.completionTracer.start(
        info({ entryPoint: 'ai.complete', messages: [{ role: 'user', content: question }] }),
      );
      llm.end(end);
      return 'answer';
    });
    const projectAgent = tracing.traced('project_agent', async (q: string) => {
      await agentNode(q);
      return toolNode('langchain-ai/langsmith-sdk');
    });
    let traceId = '';
    await tracing.createTrace(
      { name: 'project_chat_stream', inputs: { message: 'hi' }, tags: ['project_chat'], userId: '123' },
      async () => {
        const { getCurrentRunTree } = await import('langsmith/traceable');
        traceId = (getCurrentRunTree() as RunTree).trace_id;
        return projectAgent('what is tollgate?');
      },
    );
    const runs = await settled(traceId, 7);
    const byName = (n: string) => runs.find((r) => r.name === n);
    const parentName = (n: string) => runs.find((r) => r.id === byName(n)?.parent_run_id)?.name;
    expect(parentName('project_agent')).toBe('project_chat_stream');
    expect(parentName('agent_node')).toBe('project_agent');
    expect(parentName('ai.complete')).toBe('agent_node');
    expect(parentName('openai.chat.completions')).toBe('ai.complete');
    expect(parentName('tool_node')).toBe('project_agent');
    expect(parentName('fetch_github_metadata')).toBe('tool_node');
    expect(byName('fetch_github_metadata')?.run_type).toBe('tool');
    expect(byName('project_chat_stream')?.extra?.metadata).toMatchObject({ user_id: '123' });
    expect(byName('project_chat_stream')?.inputs).toEqual({ message: 'hi' });
  });
});

describe('health', () => {
  it('reports connected, unauthorized, unreachable and timeout in words', async () => {
    expect(await tracing.health()).toMatchObject({
      enabled: true,
      connected: true,
      error: null,
      project: 'tollgate-test',
    });
    const wrongKey = createTracing({ enabled: true, apiKey: 'lsv2_wrong_key_000', project: 'p', endpoint: fake.url });
    expect(await wrongKey.health()).toMatchObject({ connected: false, error: expect.stringMatching(/^unauthorized/) });
    const nowhere = createTracing({ enabled: true, apiKey: KEY, project: 'p', endpoint: 'http://127.0.0.1:1' });
    expect(await nowhere.health()).toMatchObject({ connected: false, error: expect.stringMatching(/^unreachable/) });
    fake.setFault('hang', 'all');
    try {
      const started = Date.now();
      expect(await tracing.health()).toMatchObject({ connected: false, error: expect.stringMatching(/^timeout/) });
      expect(Date.now() - started).toBeLessThan(4_500);
    } finally {
      fake.setFault('none');
    }
  });
});

describe('outages never touch requests', () => {
  it('with LangSmith hanging, starting and ending traces never waits and excess traces are dropped and counted', async () => {
    const local = await startFakeLangSmith({ apiKey: KEY });
    const t = createTracing({
      enabled: true,
      apiKey: KEY,
      project: 'p',
      endpoint: local.url,
      timeoutMs: 500,
      maxRetries: 0,
    });
    local.setFault('hang');
    // Starting and ending a trace is synchronous: nothing waits for the (hanging) upload, whose
    // timeout is 500 ms. 300 traces therefore finish far inside one timeout.
    const started = performance.now();
    for (let i = 0; i < 300; i++) {
      const trace = t.completionTracer.start(info({ requestId: `r${i}` }));
      expect(trace.end(end)).toBeUndefined();
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 300));
    }
    const busyMs = performance.now() - started - 6 * 300;
    expect(busyMs).toBeLessThan(400);
    expect(t.stats().dropped).toBeGreaterThan(0);
    expect((await t.health()).dropped_traces).toBeGreaterThan(0);
    const flushStarted = Date.now();
    await t.flush(1_000);
    expect(Date.now() - flushStarted).toBeLessThan(1_500);
    await local.close();
  });
});

describe('privacy and configuration', () => {
  it('hides inputs and outputs when asked, and never sends the API key in a run', async () => {
    const hidden = createTracing({
      enabled: true,
      apiKey: KEY,
      project: 'p',
      endpoint: fake.url,
      hideInputs: true,
      hideOutputs: true,
    });
    const trace = hidden.completionTracer.start(info());
    trace.end(end);
    for (let i = 0; i < 50 && fake.runs({ trace_id: trace.traceId as string }).length < 2; i++)
      await hidden.flush(1_000);
    const all = fake.bodies.join('\n');
    expect(all).toContain(trace.traceId as string);
    expect(all).not.toContain('secret prompt text');
    expect(all).not.toContain('the answer');
    expect(all).not.toContain(KEY);
  });

  it('refuses settings the SDK would fail on, at boot', () => {
    const base = { enabled: true, apiKey: KEY, project: 'p', endpoint: 'http://x' };
    expect(() => validateTracingConfig({ ...base, samplingRate: 2 }, {})).toThrow(TracingConfigError);
    expect(() => validateTracingConfig(base, { LANGSMITH_RUNS_ENDPOINTS: '{}' })).toThrow(/RUNS_ENDPOINTS/);
    expect(() => validateTracingConfig(base, { LANGSMITH_TRACING_MODE: 'weird' })).toThrow(/TRACING_MODE/);
    expect(() => validateTracingConfig({ ...base, apiKey: undefined }, {})).toThrow(/API_KEY/);
    expect(() => validateTracingConfig({ ...base, enabled: false, apiKey: undefined }, {})).not.toThrow();
  });
});
