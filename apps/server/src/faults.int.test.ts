import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  type FakeLangSmith,
  type FakeUpstream,
  type PrivateRedis,
  startFakeUpstream,
  startPrivateRedis,
} from '@tollgate/test-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayOnFakeUpstream } from './testing/gateway-suite';
import {
  startTestServer,
  startTracedStack,
  TEST_ADMIN_TOKEN,
  type TestServer,
  type TracedStack,
  upstreamEnv,
} from './testing/test-server';

describe('Redis stopped mid-load (closed mode)', () => {
  let fake: FakeUpstream;
  let server: TestServer;
  let redis: PrivateRedis;
  let dir: string;
  let key: string;

  beforeAll(async () => {
    fake = await startFakeUpstream();
    dir = mkdtempSync(join(tmpdir(), 'tollgate-fault-'));
    redis = await startPrivateRedis({ durableDir: dir });
    server = await startTestServer({
      ...upstreamEnv(fake),
      REDIS_URL: redis.url,
      REDIS_COMMAND_TIMEOUT_MS: '300',
    });
    key = await server.createKey('fault-user');
  });
  afterAll(async () => {
    await server.shutdown();
    await fake.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses fast without reaching a provider, then loses and doubles no settlement when Redis returns', async () => {
    fake.set({ chunkDelayMs: 40 });
    // Streams in flight when Redis dies: their settles must land once Redis is back.
    // Each has its reservation and its first delta before Redis goes: they are truly in flight.
    const started = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const res = await server.call('/api/v1/ai/complete/', {
          method: 'POST',
          token: key,
          json: { model: 'gpt-4o-mini', prompt: 'in flight', stream: true },
        });
        expect(res.status).toBe(200);
        const reader = (res.body as ReadableStream<Uint8Array>).getReader();
        const first = await reader.read();
        return { reader, text: new TextDecoder().decode(first.value) };
      }),
    );
    await redis.kill();
    const texts = await Promise.all(
      started.map(async ({ reader, text }) => {
        const decoder = new TextDecoder();
        for (let r = await reader.read(); !r.done; r = await reader.read()) text += decoder.decode(r.value);
        return text;
      }),
    );
    const charged = texts.map((t) => Math.round(Number(/"cost_usd":([\d.e-]+)/.exec(t)?.[1] ?? 0) * 1e6));
    expect(charged.every((c) => c > 0)).toBe(true);

    const before = fake.requests.length;
    const latencies: number[] = [];
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      const res = await server.call('/api/v1/ai/complete/', {
        method: 'POST',
        token: key,
        json: { prompt: 'while down' },
      });
      latencies.push(performance.now() - started);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBeTruthy();
      expect(await res.json()).toMatchObject({ code: expect.stringMatching(/STORE_UNAVAILABLE/) });
    }
    latencies.sort((a, b) => a - b);
    expect(latencies[Math.floor(latencies.length * 0.99)]).toBeLessThanOrEqual(150);
    expect(fake.requests.length).toBe(before);
    expect(server.composition.deps.settleOutbox.pending()).toBe(10);

    redis = await startPrivateRedis({ durableDir: dir, port: redis.port });
    await server.composition.deps.store.ping().catch(() => {});
    for (let i = 0; i < 100 && server.composition.deps.settleOutbox.pending() > 0; i++) {
      await server.composition.deps.settleOutbox.flush();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(server.composition.deps.settleOutbox.pending()).toBe(0);
    await server.composition.deps.settleOutbox.flush();
    const status = (await (await server.call('/api/v1/ai/analytics/user/spend-limit/', { token: key })).json()) as {
      daily_spend: number;
      daily_reserved: number;
    };
    expect(Math.round(status.daily_spend * 1e6)).toBe(charged.reduce((a, b) => a + b, 0));
    expect(status.daily_reserved).toBe(0);
  });
});

describe('a provider that goes silent halfway through its answer', () => {
  let upstream: Server;
  let server: TestServer;
  beforeAll(async () => {
    // Headers and half a JSON body, then nothing: the SDK's timeout has stopped once headers came.
    upstream = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":"chatcmpl-1","choices":[');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    server = await startTestServer({
      OPENAI_API_KEY: 'sk-upstream-secret-openai',
      OPENAI_BASE_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`,
      PROVIDER_TIMEOUT_MS: '1000',
      STREAM_MAX_DURATION_MS: '1000',
      PROVIDER_MAX_RETRIES: '0',
    });
  });
  afterAll(async () => {
    await server.shutdown();
    upstream.closeAllConnections();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('fails the call once the silence outlasts the configured provider and stream limits, charging nothing', async () => {
    const key = await server.createKey('silenced');
    const started = performance.now();
    const res = await server.call('/v1/chat/completions', {
      method: 'POST',
      token: key,
      json: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] },
    });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: { type: expect.any(String) } });
    const status = (await (await server.call('/api/v1/ai/analytics/user/spend-limit/', { token: key })).json()) as {
      daily_spend: number;
      daily_reserved: number;
    };
    expect(status).toMatchObject({ daily_spend: 0, daily_reserved: 0 });
  }, 15_000);
});

describe('client aborts', () => {
  const gw = gatewayOnFakeUpstream({ chunkDelayMs: 5, replyTokens: 30 });
  let key: string;
  beforeAll(async () => {
    key = await gw.server.createKey('aborter');
  });

  /**
   * Waits until `count` aborted calls of the key's user are recorded (and, below the page size of
   * 200, no more: a call recorded twice would show), then checks each was charged
   * more than zero (the provider may have read the prompt), that the spend is exactly their sum
   * (charged once), and that nothing is left reserved.
   */
  async function expectAbortsCharged(token: string, count: number): Promise<void> {
    let recent: { status: string; cost_usd: number }[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await gw.server.call(
        `/trpc/analytics.recent?input=${encodeURIComponent(JSON.stringify({ status: 'aborted', limit: Math.min(200, count + 10) }))}`,
        { token },
      );
      recent = ((await res.json()) as { result: { data: { items: typeof recent } } }).result.data.items;
      if (recent.length >= count) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(recent).toHaveLength(count);
    expect(recent.every((e) => e.cost_usd > 0)).toBe(true);
    const status = (await (await gw.server.call('/api/v1/ai/analytics/user/spend-limit/', { token })).json()) as {
      daily_reserved: number;
      daily_spend: number;
    };
    expect(status.daily_reserved).toBe(0);
    expect(Math.round(status.daily_spend * 1e6)).toBe(Math.round(recent.reduce((a, e) => a + e.cost_usd, 0) * 1e6));
  }

  it('cancels the provider call of a JSON completion whose client goes away, charges its estimate once and leaves no reservation', async () => {
    const token = await gw.server.createKey('json-aborter');
    const until = async (what: string, done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
      if (!done()) throw new Error(`timed out waiting for ${what}`);
    };
    const messages = [{ role: 'user', content: 'hang on' }];
    const calls: [string, Record<string, unknown>][] = [
      ['/v1/chat/completions', { model: 'gpt-4o-mini', messages }],
      ['/api/v1/ai/complete/', { model: 'gpt-4o-mini', prompt: 'hang on' }],
      ['/api/v1/ai/complete/', { model: 'anthropic/claude-3-5-haiku-latest', prompt: 'hang on' }],
    ];
    // Twice each: the first call of a kind is built by the SDK, later ones are prepared.
    for (const [path, body] of [...calls, ...calls]) {
      gw.fake.enqueue({ kind: 'hang' });
      const controller = new AbortController();
      const answer = fetch(`${gw.server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
      }).catch((error: unknown) => error);
      await until(`${path} to reach the provider`, () => gw.fake.hanging === 1);
      controller.abort();
      expect(await answer).toMatchObject({ name: 'AbortError' });
      // The gateway closes its request to the provider rather than waiting for the answer.
      await until(`${path}'s provider call to be cancelled`, () => gw.fake.hanging === 0);
    }
    // Each aborted call is recorded (and its reservation settled) just after the client saw the abort.
    await expectAbortsCharged(token, 6);
  });

  it('charges each of 200 streams aborted at random points more than zero and leaves no reservation', async () => {
    const one = async (i: number) => {
      const controller = new AbortController();
      const res = await fetch(`${gw.server.url}/api/v1/ai/complete/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: i % 2 ? 'gpt-4o-mini' : 'anthropic/claude-3-5-haiku-latest',
          prompt: `abort me ${i}`,
        }).replace('}', ',"stream":true}'),
        signal: controller.signal,
      });
      const reader = res.body?.getReader();
      const stopAfter = 1 + (i % 7);
      for (let n = 0; n < stopAfter; n++) await reader?.read();
      controller.abort();
    };
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(Array.from({ length: 20 }, (_, j) => one(batch * 20 + j).catch(() => {})));
    }
    await expectAbortsCharged(key, 200);
  });
});

describe('a provider that fails a stream mid-way', () => {
  const gw = gatewayOnFakeUpstream();

  it('passes on the deltas before the error, then an error of its own, and leaves nothing reserved', async () => {
    const token = await gw.server.createKey('mid-stream');
    const calls: [string, Record<string, unknown>, RegExp][] = [
      ['/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, /"error":/],
      ['/api/v1/ai/complete/', { model: 'anthropic/claude-3-5-haiku-latest', prompt: 'hi' }, /event: error/],
    ];
    for (const [path, body, errorEvent] of calls) {
      gw.fake.enqueue({ kind: 'stream_error', afterChunks: 4 });
      const res = await gw.server.call(path, { method: 'POST', token, json: { ...body, stream: true } });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('Tollgate');
      expect(text).toMatch(errorEvent);
      expect(text.indexOf('Tollgate')).toBeLessThan(text.search(errorEvent));
      expect(text).not.toContain('fake upstream error');
    }
    let recent: { status: string }[] = [];
    for (let i = 0; i < 100 && recent.length < calls.length; i++) {
      const res = await gw.server.call(
        `/trpc/analytics.recent?input=${encodeURIComponent(JSON.stringify({ status: 'error', limit: 10 }))}`,
        { token },
      );
      recent = ((await res.json()) as { result: { data: { items: typeof recent } } }).result.data.items;
      if (recent.length < calls.length) await new Promise((r) => setTimeout(r, 50));
    }
    expect(recent).toHaveLength(calls.length);
    const status = (await (await gw.server.call('/api/v1/ai/analytics/user/spend-limit/', { token })).json()) as {
      daily_reserved: number;
    };
    expect(status.daily_reserved).toBe(0);
  });
});

describe('LangSmith failing (hang, 5xx, connection refused)', () => {
  const LS_KEY = 'lsv2_pt_fault_test_key_00000';
  let ls: FakeLangSmith;
  let server: TestServer;
  let key: string;

  let stack: TracedStack;
  beforeAll(async () => {
    stack = await startTracedStack(LS_KEY, { LANGSMITH_TIMEOUT_MS: '1000' }, { recordLimit: 0 });
    ({ ls, server } = stack);
    key = await server.createKey('traced-user');
    await server.call('/api/v1/ai/admin/limits/users/traced-user/', {
      method: 'PUT',
      token: TEST_ADMIN_TOKEN,
      json: { daily_usd: 1000 },
    });
  });
  afterAll(() => stack.close());

  /** Heap still reachable after a full collection, so garbage does not count as growth. */
  function retainedHeap(): number {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    return process.memoryUsage().heapUsed;
  }

  /** Median latency of `n` calls, 8 at a time; every call must succeed. */
  async function medianLatency(n: number): Promise<number> {
    const samples: number[] = [];
    const one = async () => {
      const started = performance.now();
      const res = await server.call('/api/v1/ai/complete/', { method: 'POST', token: key, json: { prompt: 'traced' } });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      samples.push(performance.now() - started);
    };
    for (let i = 0; i < n; i += 8) await Promise.all(Array.from({ length: Math.min(8, n - i) }, one));
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)] as number;
  }

  it('keeps requests succeeding at unchanged latency, drops and counts traces, and bounds memory', async () => {
    const healthy = await medianLatency(200);
    for (const fault of ['hang', 'error'] as const) {
      ls.setFault(fault, 'all');
      const droppedBefore = server.composition.tracing.stats().dropped;
      const heapBefore = retainedHeap();
      const failing = await medianLatency(1_000);
      const stats = server.composition.tracing.stats();
      expect(failing, fault).toBeLessThan(healthy + 20);
      expect(stats.dropped - droppedBefore, fault).toBeGreaterThan(500);
      expect(stats.inFlight, fault).toBeLessThanOrEqual(5);
      // 1,000 queued traces (prompt, completion, two runs each) would be held here; dropped ones are not.
      expect(retainedHeap() - heapBefore, fault).toBeLessThan(16 * 1024 * 1024);
      ls.setFault('none');
    }
    await ls.close();
    const refused = await medianLatency(200);
    expect(refused).toBeLessThan(healthy + 20);
    const health = (await (
      await server.call('/api/v1/ai/analytics/langsmith/health/', { token: TEST_ADMIN_TOKEN })
    ).json()) as { connected: boolean; error: string; dropped_traces: number };
    expect(health).toMatchObject({ connected: false, error: expect.stringMatching(/unreachable/) });
    expect(health.dropped_traces).toBeGreaterThan(1_000);
    const started = performance.now();
    await server.composition.tracing.flush(3_000);
    expect(performance.now() - started).toBeLessThan(3_500);
  }, 120_000);
});
