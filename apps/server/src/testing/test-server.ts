import { randomBytes } from 'node:crypto';
import {
  type FakeLangSmith,
  type FakeUpstream,
  type FakeUpstreamOptions,
  startFakeLangSmith,
  startFakeUpstream,
} from '@tollgate/test-tools';
import { loadConfig } from '../env';
import { createLogger } from '../logger';
import { type RunningServer, startServer } from '../server';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789';

export interface TestServer extends RunningServer {
  /** fetch against the server with an optional bearer token. */
  call(path: string, init?: RequestInit & { token?: string | undefined; json?: unknown }): Promise<Response>;
  /** Creates an API key through the admin REST API and returns it. */
  createKey(userId: string, role?: 'user' | 'service' | 'admin'): Promise<string>;
}

/** Env that traces to a (fake) LangSmith. */
export function langsmithEnv(ls: { url: string }, apiKey: string, project = 'gateway-tests') {
  return {
    LANGSMITH_TRACING_ENABLED: 'true',
    LANGSMITH_API_KEY: apiKey,
    LANGSMITH_ENDPOINT: ls.url,
    LANGSMITH_PROJECT: project,
  };
}

/** Starts a real server on a free port. With `redisUrl` it runs on Redis under a random key prefix. */
/** Env that points every provider at a fake upstream. */
export function upstreamEnv(fake: { openaiBaseUrl: string; anthropicBaseUrl: string; azureEndpoint: string }) {
  return {
    OPENAI_API_KEY: 'sk-upstream-secret-openai',
    OPENAI_BASE_URL: fake.openaiBaseUrl,
    AZURE_OPENAI_API_KEY: 'az-upstream-secret',
    AZURE_OPENAI_ENDPOINT: fake.azureEndpoint,
    AZURE_OPENAI_DEPLOYMENTS: 'prod-chat=gpt-4o-mini',
    AZURE_OPENAI_DEFAULT_DEPLOYMENT: 'prod-chat',
    ANTHROPIC_API_KEY: 'ant-upstream-secret',
    ANTHROPIC_BASE_URL: fake.anthropicBaseUrl,
  };
}

export async function startTestServer(
  env: Record<string, string> = {},
  options: { redisUrl?: string; logTo?: { write(line: string): void } } = {},
): Promise<TestServer> {
  const config = loadConfig({
    PORT: '0',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    AUTH_MAX_FAILURES: '10000',
    LOG_LEVEL: 'silent',
    ...(options.redisUrl && {
      REDIS_URL: options.redisUrl,
      REDIS_KEY_PREFIX: `test-${randomBytes(5).toString('hex')}:`,
      REDIS_COMMAND_TIMEOUT_MS: '5000',
    }),
    ...env,
  });
  const running = await startServer(config, createLogger(config.LOG_LEVEL, options.logTo));
  const server: TestServer = {
    ...running,
    async createKey(userId, role = 'user') {
      const res = await server.call('/api/v1/ai/admin/keys/', {
        method: 'POST',
        token: TEST_ADMIN_TOKEN,
        json: { user_id: userId, role },
      });
      if (res.status !== 201) throw new Error(`creating a key failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { key: string }).key;
    },
    call(path, init = {}) {
      const { token, json, headers, ...rest } = init;
      return fetch(`${running.url}${path}`, {
        ...rest,
        headers: {
          ...(token !== undefined && { authorization: `Bearer ${token}` }),
          ...(json !== undefined && { 'content-type': 'application/json' }),
          ...(headers as Record<string, string>),
        },
        ...(json !== undefined && { body: JSON.stringify(json) }),
      });
    },
  };
  return server;
}

export interface TracedStack {
  fake: FakeUpstream;
  ls: FakeLangSmith;
  server: TestServer;
  close(): Promise<void>;
}

/** A fake upstream, a fake LangSmith accepting `lsKey`, and a server wired to both with tracing on. */
export async function startTracedStack(
  lsKey: string,
  env: Record<string, string> = {},
  upstream: FakeUpstreamOptions = {},
): Promise<TracedStack> {
  const fake = await startFakeUpstream(upstream);
  const ls = await startFakeLangSmith({ apiKey: lsKey });
  const server = await startTestServer({ ...upstreamEnv(fake), ...langsmithEnv(ls, lsKey), ...env });
  return {
    fake,
    ls,
    server,
    async close() {
      await server.shutdown();
      await fake.close();
      // A test may have stopped LangSmith already, to see the gateway without it.
      await ls.close().catch(() => {});
    },
  };
}
