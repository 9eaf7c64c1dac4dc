/**
 * `pnpm demo`: the gateway wired to the project's fake upstream, a few users, some traffic so the
 * dashboards have data, and how to sign in. Runs until Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeUpstream } from '@tollgate/test-tools';
import { loadConfig } from './env';
import { createLogger } from './logger';
import { startServer } from './server';

const USERS = [
  { id: '101', name: 'alice', dailyUsd: 5 },
  { id: '102', name: 'bob', dailyUsd: 0.02 },
  { id: '103', name: 'carol', dailyUsd: 1 },
];

async function main(): Promise<void> {
  const fake = await startFakeUpstream({ latencyMs: 40, chunkDelayMs: 15 });
  const adminToken = `demo-admin-${randomBytes(12).toString('hex')}`;
  const config = loadConfig({
    ...process.env,
    PORT: process.env.PORT ?? '8000',
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'warn',
    OPENAI_API_KEY: 'demo-openai',
    OPENAI_BASE_URL: fake.openaiBaseUrl,
    AZURE_OPENAI_API_KEY: 'demo-azure',
    AZURE_OPENAI_ENDPOINT: fake.azureEndpoint,
    AZURE_OPENAI_DEPLOYMENTS: 'prod-chat=gpt-4o-mini',
    ANTHROPIC_API_KEY: 'demo-anthropic',
    ANTHROPIC_BASE_URL: fake.anthropicBaseUrl,
  });
  const webDist = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');
  const running = await startServer(config, createLogger(config.LOG_LEVEL), webDist);
  const api = (path: string, token: string, body?: unknown, method = body ? 'POST' : 'GET') =>
    fetch(`${running.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });

  const keys: Record<string, string> = {};
  for (const u of USERS) {
    const res = await api('/api/v1/ai/admin/keys/', adminToken, { user_id: u.id, role: 'user', name: u.name });
    keys[u.name] = ((await res.json()) as { key: string }).key;
    await api(`/api/v1/ai/admin/limits/users/${u.id}/`, adminToken, { daily_usd: u.dailyUsd }, 'PUT');
  }

  // A prompt template with two versions, `production` on the first, so the Prompts page has history.
  const template = {
    name: 'support-reply',
    messages: [
      { role: 'system', content: 'You answer questions about {{product}} for its users.' },
      { role: 'user', content: '{{question}}' },
    ],
    defaults: { model: 'gpt-4o-mini', max_tokens: 300 },
    commit_message: 'first version',
  };
  const first = (await (await api('/api/v1/ai/prompts/', adminToken, template)).json()) as { version: string };
  await api('/api/v1/ai/prompts/', adminToken, {
    ...template,
    messages: [
      { role: 'system', content: 'You answer questions about {{product}}, in two sentences at most.' },
      template.messages[1],
    ],
    commit_message: 'shorter answers',
  });
  await api('/api/v1/ai/prompts/support-reply/tags/production/', adminToken, { version: first.version }, 'PUT');

  const models = ['gpt-4o-mini', 'azure/prod-chat', 'anthropic/claude-3-5-haiku-latest', 'gpt-4o'];
  const prompts = ['Summarise our Q3 roadmap', 'Write a haiku about budgets', 'Explain Redis Lua scripts [[reply:60]]'];
  let sent = 0;
  for (let i = 0; i < 60; i++) {
    const user = USERS[i % USERS.length] as (typeof USERS)[number];
    if (i % 17 === 5) fake.enqueue({ kind: 'status', status: 500, times: 3 });
    const model = models[i % models.length] as string;
    const viaTemplate = i % 6 === 1;
    await api('/api/v1/ai/complete/', keys[user.name] as string, {
      ...(viaTemplate
        ? {
            prompt: {
              name: 'support-reply',
              ...(i % 12 === 1 && { tag: 'production' }),
              variables: { product: 'Tollgate', question: 'How do spend limits work?' },
            },
          }
        : { model, prompt: prompts[i % prompts.length] }),
      tags: [i % 2 ? 'project_chat' : 'auth_chat'],
      ...(i % 5 === 0 && { stream: true }),
    }).then((r) => r.text());
    sent++;
  }

  process.stdout.write(
    [
      '',
      `Tollgate demo running at ${running.url} (fake upstream at ${fake.url}), ${sent} calls sent.`,
      '',
      `  Admin token : ${adminToken}`,
      ...USERS.map((u) => `  ${u.name.padEnd(11)} : ${keys[u.name]}  (user ${u.id}, $${u.dailyUsd}/day)`),
      '',
      'Open the URL and paste a token to sign in, or try:',
      `  curl -s ${running.url}/api/v1/ai/analytics/user/spend-limit/ -H "Authorization: Bearer ${keys.alice}"`,
      '',
      'Demo credentials only exist in this process. Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  const stop = async () => {
    await running.shutdown();
    await fake.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
