import type { FakeLangSmith, FakeUpstream } from '@tollgate/test-tools';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracedStack, TEST_ADMIN_TOKEN, type TestServer, type TracedStack } from './testing/test-server';

const LS_KEY = 'lsv2_pt_prompt_server_key_000';

describe('prompt templates through the server', () => {
  let fake: FakeUpstream;
  let ls: FakeLangSmith;
  let server: TestServer;
  let userKey: string;
  let v1: string;
  let v2: string;

  let stack: TracedStack;
  beforeAll(async () => {
    stack = await startTracedStack(LS_KEY);
    ({ fake, ls, server } = stack);
    userKey = await server.createKey('314');
  });
  afterAll(() => stack.close());

  const create = (token: string, body: unknown) =>
    server.call('/api/v1/ai/prompts/', { method: 'POST', token, json: body });
  const upstreamMessages = () =>
    (fake.requests.at(-1)?.body as { messages?: { role: string; content: string }[] } | undefined)?.messages;

  it('lets admins add versions and tags, and anyone signed in read and render them', async () => {
    const template = {
      name: 'support-reply',
      messages: [
        { role: 'system', content: 'You answer for {{product}}. Be {{tone}}.' },
        { role: 'user', content: '{{question}}' },
      ],
      defaults: { model: 'anthropic/claude-3-5-haiku-latest', max_tokens: 200 },
      commit_message: 'first draft',
    };
    expect((await create(userKey, template)).status).toBe(403);
    const first = await create(TEST_ADMIN_TOKEN, template);
    expect(first.status).toBe(201);
    const created = (await first.json()) as { version: string; created: boolean; variables: string[] };
    expect(created).toMatchObject({ created: true, variables: ['product', 'tone', 'question'] });
    v1 = created.version;
    expect(((await (await create(TEST_ADMIN_TOKEN, template)).json()) as { created: boolean }).created).toBe(false);
    const second = await create(TEST_ADMIN_TOKEN, {
      ...template,
      messages: [{ role: 'system', content: 'You answer for {{product}}, briefly.' }, template.messages[1]],
      defaults: { model: 'gpt-4o-mini' },
      commit_message: 'shorter',
    });
    v2 = ((await second.json()) as { version: string }).version;
    const tagged = await server.call('/api/v1/ai/prompts/support-reply/tags/production/', {
      method: 'PUT',
      token: TEST_ADMIN_TOKEN,
      json: { version: v1 },
    });
    expect(await tagged.json()).toMatchObject({ tags: { latest: v2, production: v1 } });

    const history = (await (
      await server.call('/api/v1/ai/prompts/support-reply/versions/', { token: userKey })
    ).json()) as {
      versions: { version: string; commit_message: string }[];
    };
    expect(history.versions.map((v) => v.version)).toEqual([v2, v1]);
    const prod = (await (
      await server.call('/api/v1/ai/prompts/support-reply/?tag=production', { token: userKey })
    ).json()) as {
      version: string;
    };
    expect(prod.version).toBe(v1);
    const rendered = await server.call('/api/v1/ai/prompts/support-reply/render/', {
      method: 'POST',
      token: userKey,
      json: { tag: 'production', variables: { product: 'Tollgate', tone: 'kind', question: 'Why?' } },
    });
    expect(await rendered.json()).toMatchObject({
      version: v1,
      messages: [
        { role: 'system', content: 'You answer for Tollgate. Be kind.' },
        { role: 'user', content: 'Why?' },
      ],
    });
  });

  it('completes from a template on REST, tRPC and /v1, with its defaults, traced and analysed by version', async () => {
    const variables = { product: 'Tollgate', tone: 'kind', question: 'What does a reservation do?' };
    const rest = await server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: userKey,
      json: { prompt: { name: 'support-reply', tag: 'production', variables }, tags: ['support'] },
    });
    expect(rest.status).toBe(200);
    const restBody = (await rest.json()) as { provider: string; model: string; trace_id: string };
    expect(restBody).toMatchObject({ provider: 'anthropic', model: 'claude-3-5-haiku-latest' });
    expect(fake.requests.at(-1)?.body).toMatchObject({
      system: 'You answer for Tollgate. Be kind.',
      max_tokens: 200,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What does a reservation do?' }] }],
    });

    const trpc = await server.call('/trpc/ai.complete', {
      method: 'POST',
      token: userKey,
      json: {
        prompt: { name: 'support-reply', variables: { product: 'Tollgate', question: 'Hi' } },
        messages: [{ role: 'user', content: 'And a follow-up' }],
      },
    });
    expect(trpc.status).toBe(200);
    expect(upstreamMessages()?.map((m) => m.content)).toEqual([
      'You answer for Tollgate, briefly.',
      'Hi',
      'And a follow-up',
    ]);

    const openai = new OpenAI({ apiKey: userKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [],
      // @ts-expect-error Tollgate's extension field
      tollgate: { prompt: { name: 'support-reply', version: v2, variables: { product: 'X', question: 'Q' } } },
    });
    expect(completion.choices[0]?.message.content).toBeTruthy();

    await server.composition.tracing.flush(2_000);
    let root: { extra?: { metadata?: Record<string, unknown> } } | undefined;
    for (let i = 0; i < 50 && !root?.extra?.metadata?.prompt_version; i++) {
      await new Promise((r) => setTimeout(r, 40));
      root = ls.runs({ trace_id: restBody.trace_id }).find((r) => r.name === 'rest.complete');
    }
    expect(root?.extra?.metadata).toMatchObject({ prompt_name: 'support-reply', prompt_version: v1 });

    await new Promise((r) => setTimeout(r, 100));
    const analytics = (await (
      await server.call(`/trpc/analytics.prompts?input=${encodeURIComponent(JSON.stringify({ days: 1 }))}`, {
        token: TEST_ADMIN_TOKEN,
      })
    ).json()) as { result: { data: { prompts: { name: string; version: string; total_requests: number }[] } } };
    const byVersion = Object.fromEntries(analytics.result.data.prompts.map((p) => [p.version, p.total_requests]));
    expect(byVersion).toEqual({ [v1]: 1, [v2]: 2 });
  });

  it('refuses missing or unknown variables and unknown prompts before any provider call, charging nothing', async () => {
    const before = fake.requests.length;
    const spent = async () =>
      (
        (await (await server.call('/api/v1/ai/analytics/user/spend-limit/', { token: userKey })).json()) as {
          daily_spend: number;
        }
      ).daily_spend;
    const was = await spent();
    const missing = await server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: userKey,
      json: { prompt: { name: 'support-reply', variables: { product: 'x', colour: 'red' } } },
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      code: 'PROMPT_VARIABLES',
      missing: ['question'],
      unknown: ['colour'],
      error: expect.stringMatching(/missing variables: question; unknown variables: colour/),
    });
    const preview = await server.call('/api/v1/ai/prompts/support-reply/render/', {
      method: 'POST',
      token: userKey,
      json: { variables: { product: 'x' } },
    });
    expect(preview.status).toBe(400);
    expect(await preview.json()).toMatchObject({ code: 'PROMPT_VARIABLES', missing: ['question'], unknown: [] });
    const unknown = await server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: userKey,
      json: { prompt: { name: 'no-such-prompt', variables: {} } },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'PROMPT_NOT_FOUND' });
    const both = await server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: userKey,
      json: { prompt: { name: 'support-reply', version: v1, tag: 'production' } },
    });
    expect(both.status).toBe(400);
    expect(fake.requests.length).toBe(before);
    expect(await spent()).toBe(was);
  });

  it("pushes a version to LangSmith's prompt hub and pulls a commit back as a version", async () => {
    const push = await server.call('/api/v1/ai/prompts/support-reply/push/', {
      method: 'POST',
      token: TEST_ADMIN_TOKEN,
      json: { tag: 'production' },
    });
    expect(push.status).toBe(200);
    expect(ls.hubCommits('support-reply')).toHaveLength(1);
    expect(
      (await server.call('/api/v1/ai/prompts/support-reply/push/', { method: 'POST', token: userKey, json: {} }))
        .status,
    ).toBe(403);

    const pulled = await server.call('/api/v1/ai/prompts/support-reply/pull/', {
      method: 'POST',
      token: TEST_ADMIN_TOKEN,
      json: {},
    });
    expect(pulled.status).toBe(200);
    const body = (await pulled.json()) as { messages: unknown; version: string; created: boolean };
    // The hub keeps messages only, so the pulled version has v1's messages and no defaults.
    expect(body.messages).toEqual(
      (
        (await (await server.call(`/api/v1/ai/prompts/support-reply/?version=${v1}`, { token: userKey })).json()) as {
          messages: unknown;
        }
      ).messages,
    );
    expect(body.created).toBe(true);
    const missing = await server.call('/api/v1/ai/prompts/not-in-hub/pull/', {
      method: 'POST',
      token: TEST_ADMIN_TOKEN,
      json: {},
    });
    expect(missing.status).toBe(502);
    expect(JSON.stringify(await missing.json())).not.toContain(LS_KEY);
  });
});
