import { describe, expect, it } from 'vitest';
import { createCompletionTracer, type TraceEndInfo, type TraceStartInfo } from './completion-tracer';
import { createTraceGate } from './gate';
import type { RunExporter } from './run-exporter';

const info: TraceStartInfo = {
  entryPoint: 'ai.complete',
  requestId: 'req-1',
  userId: '123',
  provider: 'openai',
  model: 'gpt-4o-mini',
  tags: ['ai.complete'],
  messages: [{ role: 'user', content: 'hi' }],
  params: { max_tokens: 50 },
  startedAt: Date.UTC(2026, 11, 5, 8, 0, 0),
};

const end: TraceEndInfo = {
  status: 'success',
  content: 'hello',
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 3, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
  costMicros: 42,
  estimated: false,
  error: null,
  endedAt: Date.UTC(2026, 11, 5, 8, 0, 1),
};

function tracerWithSends() {
  const sent: string[][] = [];
  const exporter = { send: (runs: readonly string[]) => void sent.push([...runs]) } as unknown as RunExporter;
  const gate = createTraceGate(fetch);
  return { sent, tracer: createCompletionTracer({ project: 'p', gate, exporter }) };
}

describe('completion tracer', () => {
  it('writes a call’s runs after the turn it ended in, so responses ready in that turn go out first', async () => {
    const { sent, tracer } = tracerWithSends();
    const traces = [tracer.start(info), tracer.start({ ...info, requestId: 'req-2' })];
    for (const t of traces) t.end(end);
    expect(sent).toHaveLength(0);
    await new Promise((r) => setImmediate(r));
    expect(sent).toHaveLength(2);
    const [root, llm] = (sent[0] as string[]).map((r) => JSON.parse(r));
    expect(root).toMatchObject({ id: traces[0]?.traceId, trace_id: traces[0]?.traceId, run_type: 'chain' });
    expect(root.start_time).toBe('2026-12-05T08:00:00.000Z');
    expect(root.end_time).toBe('2026-12-05T08:00:01.000Z');
    expect(llm).toMatchObject({ parent_run_id: traces[0]?.traceId, run_type: 'llm' });
    expect(llm.outputs.usage_metadata.total_cost).toBe(0.000042);
  });

  it('writes what has ended at once when flushed', () => {
    const { sent, tracer } = tracerWithSends();
    tracer.start(info).end(end);
    tracer.flush();
    expect(sent).toHaveLength(1);
    tracer.flush();
    expect(sent).toHaveLength(1);
  });
});
