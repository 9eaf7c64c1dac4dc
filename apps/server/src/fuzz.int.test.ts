import { type FakeUpstream, startFakeUpstream } from '@tollgate/test-tools';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer, upstreamEnv } from './testing/test-server';

/** Bodies per endpoint; FUZZ_RUNS raises it (the acceptance run uses 10,000). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

/** Text that means something to a tokenizer or a template engine. */
const special = fc
  .tuple(fc.string({ maxLength: 10 }), fc.constantFrom('<|endoftext|>', '<|im_start|>', '<|fim_prefix|>', '{{x}}'))
  .map(([a, b]) => `${a}${b}${a}`);

const weird = fc.oneof(
  fc.anything(),
  fc.string({ maxLength: 50 }),
  fc.constantFrom(Number.NaN, -1, 0, 1e308, -1e308, 2 ** 53 + 1, 999_999_999, 1.5, '1', '', null, true, [], {}),
  fc.string({ minLength: 5_000, maxLength: 20_000 }),
  fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, fc.constant(1), fc.array(tie('node'), { maxLength: 2 })),
  })).node,
);

const completionBody = fc.record(
  {
    prompt: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), special, weird),
    messages: fc.oneof(
      fc.array(
        fc.record({
          role: fc.constantFrom('user', 'system', 'assistant', 'tool', 'hacker'),
          content: fc.oneof(fc.string({ maxLength: 30 }), special, weird),
        }),
        { maxLength: 3 },
      ),
      weird,
    ),
    model: fc.oneof(
      fc.constantFrom('gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest', 'azure/prod-chat', 'no-such-model', ''),
      weird,
    ),
    max_tokens: fc.oneof(fc.integer({ min: -10, max: 2_000_000 }), weird),
    temperature: weird,
    stop: weird,
    tools: weird,
    base_url: fc.constant('http://evil.example'),
    api_base: fc.constant('http://evil.example'),
    user_id: weird,
    tags: weird,
  },
  { requiredKeys: [] },
);

const rawBody = fc.oneof(
  fc
    .constantFrom(
      { prompt: 'hi' },
      { model: 'anthropic/claude-3-5-haiku-latest', messages: [{ role: 'user', content: 'yo' }] },
    )
    .map((b) => ({
      body: JSON.stringify(b),
      type: 'application/json',
    })),
  completionBody.map((b) => ({ body: JSON.stringify(b), type: 'application/json' })),
  // Valid calls whose text is special to a tokenizer or a template engine.
  special.map((text) => ({ body: JSON.stringify({ prompt: text }), type: 'application/json' })),
  weird.map((b) => ({ body: JSON.stringify(b) ?? 'null', type: 'application/json' })),
  fc.string({ maxLength: 200 }).map((s) => ({ body: `{${s}`, type: 'application/json' })),
  fc.string({ maxLength: 200 }).map((s) => ({ body: s, type: 'text/plain' })),
  fc.constant({ body: `{"prompt":"${'x'.repeat(1_100_000)}"}`, type: 'application/json' }),
  fc.constant({ body: `${'['.repeat(20_000)}${']'.repeat(20_000)}`, type: 'application/json' }),
);

// Prompt templates: names (valid, path-like, empty), `{{…}}` in odd places, variables of any shape.
const promptBody = fc.record(
  {
    name: fc.oneof(fc.constantFrom('fuzz-greet', 'Fuzz Greet', '../etc/passwd', 'a'.repeat(300), ''), weird),
    messages: fc.oneof(
      fc.array(
        fc.record({
          role: fc.constantFrom('system', 'user', 'assistant', 'tool', 'hacker'),
          content: fc.oneof(
            fc.constantFrom('Hello {{name}}', '{{', '}}{{', '{{a}}{{b}}{{a}}', '{{ spaced }}', '{{__proto__}}'),
            fc.string({ maxLength: 30 }),
            weird,
          ),
        }),
        { maxLength: 3 },
      ),
      weird,
    ),
    defaults: fc.oneof(fc.record({ model: fc.oneof(fc.string({ maxLength: 20 }), weird), max_tokens: weird }), weird),
    variables: fc.oneof(
      fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constant('__proto__')), fc.oneof(fc.string(), weird), {
        maxKeys: 3,
      }),
      weird,
    ),
    version: weird,
    tag: weird,
    commit_message: weird,
  },
  { requiredKeys: [] },
);

const promptRaw = fc.oneof(
  promptBody.map((b) => ({ body: JSON.stringify(b), type: 'application/json' })),
  // Valid bodies for each endpoint, so both outcomes are exercised at any run count.
  fc.constant({ body: JSON.stringify({ variables: { name: 'fuzz' } }), type: 'application/json' }),
  fc.constant({
    body: JSON.stringify({ name: 'fuzz-greet', messages: [{ role: 'user', content: 'Hi {{name}}' }] }),
    type: 'application/json',
  }),
  rawBody,
);

describe('fuzzed request bodies', () => {
  let fake: FakeUpstream;
  let server: TestServer;
  let userKey: string;
  let serviceKey: string;
  let charged = 0;

  beforeAll(async () => {
    fake = await startFakeUpstream({ recordLimit: 100_000 });
    server = await startTestServer({ ...upstreamEnv(fake), PROVIDER_MAX_RETRIES: '0' });
    const key = async (uid: string, role: string) =>
      (
        (await (
          await server.call('/api/v1/ai/admin/keys/', {
            method: 'POST',
            token: TEST_ADMIN_TOKEN,
            json: { user_id: uid, role },
          })
        ).json()) as { key: string }
      ).key;
    userKey = await key('fuzz-user', 'user');
    serviceKey = await key('fuzz-service', 'service');
    await server.call('/api/v1/ai/admin/limits/users/fuzz-user/', {
      method: 'PUT',
      token: TEST_ADMIN_TOKEN,
      json: { daily_usd: 1000 },
    });
  }, 60_000);
  afterAll(async () => {
    await server.shutdown();
    await fake.close();
  });

  /**
   * Posts one generated body and checks what every endpoint owes any body: no 5xx, a JSON answer,
   * 413 past the size limit. Returns the status and the parsed answer for endpoint checks.
   */
  async function post(path: string, token: string, { body, type }: { body: string; type: string }) {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body,
    });
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBeLessThan(500);
    if (Buffer.byteLength(body) > 1_048_576) expect(res.status).toBe(413);
    return { status: res.status, text, json: JSON.parse(text) as Record<string, unknown> };
  }

  const endpoints: [string, string, () => string][] = [
    ['REST complete', '/api/v1/ai/complete/', () => userKey],
    ['OpenAI chat completions', '/v1/chat/completions', () => userKey],
    ['tRPC ai.complete', '/trpc/ai.complete', () => userKey],
    ['REST usage', '/api/v1/ai/usage/', () => serviceKey],
  ];

  for (const [name, path, token] of endpoints) {
    it(`${name}: never 5xx, every error a JSON body, oversize → 413, charges only what succeeded`, async () => {
      await fc.assert(
        fc.asyncProperty(rawBody, async (sample) => {
          const { status, json } = await post(path, token(), sample);
          if (status >= 400) expect(json.error ?? json.code).toBeDefined();
          else {
            const cost = (json.cost_usd ??
              (json.result as { data?: { cost_usd?: number } } | undefined)?.data?.cost_usd ??
              (json.tollgate as { cost_usd?: number } | undefined)?.cost_usd) as number;
            expect(typeof cost).toBe('number');
            if (path !== '/api/v1/ai/usage/') charged += Math.round(cost * 1e6);
          }
        }),
        { numRuns: RUNS },
      );
      expect(JSON.stringify(fake.requests.map((r) => r.body))).not.toContain('evil.example');
    }, 600_000);
  }

  const promptEndpoints: [string, string, () => string][] = [
    ['REST prompt create (admin)', '/api/v1/ai/prompts/', () => TEST_ADMIN_TOKEN],
    ['REST prompt render', '/api/v1/ai/prompts/fuzz-greet/render/', () => userKey],
  ];

  for (const [name, path, token] of promptEndpoints) {
    it(`${name}: never 5xx, every error a JSON body with a code, oversize → 413, nothing charged`, async () => {
      const seeded = await server.call('/api/v1/ai/prompts/', {
        method: 'POST',
        token: TEST_ADMIN_TOKEN,
        json: { name: 'fuzz-greet', messages: [{ role: 'user', content: 'Hello {{name}}' }] },
      });
      expect(seeded.status).toBe(201);
      let succeeded = 0;
      await fc.assert(
        fc.asyncProperty(promptRaw, async (sample) => {
          const { status, text, json } = await post(path, token(), sample);
          if (status >= 400) expect(json.code, text.slice(0, 300)).toEqual(expect.any(String));
          else {
            succeeded++;
            expect(json).toMatchObject({ name: expect.any(String), version: expect.any(String) });
          }
        }),
        { numRuns: RUNS },
      );
      expect(succeeded).toBeGreaterThan(0);
    }, 600_000);
  }

  it('charged the user exactly what the successful calls cost, and nothing for the rest', async () => {
    await server.composition.deps.settleOutbox.flush();
    const user = (await (await server.call('/api/v1/ai/analytics/user/spend-limit/', { token: userKey })).json()) as {
      daily_spend: number;
      daily_reserved: number;
    };
    expect(user.daily_reserved).toBe(0);
    expect(charged).toBeGreaterThan(0);
    expect(Math.round(user.daily_spend * 1e6)).toBe(charged);
  });
});
