import type { ChildProcess } from 'node:child_process';
import { freePort } from '@tollgate/test-tools';
import { start, stop } from './proc';

export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
export const LANGSMITH_KEY = 'lsv2_bench_key_00000';

export interface GatewayOptions {
  /** The server bundle to run (the repository's `apps/server/dist/main.js` unless comparing builds). */
  main: string;
  redisUrl: string;
  /** Keeps runs against one Redis apart. */
  keyPrefix: string;
  upstreamUrl: string;
  langsmithUrl: string;
  /** Settings over the defaults (reservation, settle, recording and tracing all on). */
  env?: Record<string, string>;
  /** Flags for node itself, before the bundle (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
}

export interface BenchGateway {
  child: ChildProcess;
  base: string;
  /** A user key with limits far above what a run spends. */
  key: string;
}

/** The production build on Redis with tracing to the fake LangSmith, and a user to load it as. */
export async function startGateway(options: GatewayOptions): Promise<BenchGateway> {
  const port = await freePort();
  const { child } = await start(
    'node',
    [...(options.nodeArgs ?? []), options.main],
    {
      PATH: process.env.PATH,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      REDIS_URL: options.redisUrl,
      REDIS_KEY_PREFIX: options.keyPrefix,
      ADMIN_TOKEN,
      OPENAI_API_KEY: 'bench-openai',
      OPENAI_BASE_URL: `${options.upstreamUrl}/v1`,
      // The fake upstream speaks Anthropic's Messages API too (BENCH_MODEL=claude-…).
      ANTHROPIC_API_KEY: 'bench-anthropic',
      ANTHROPIC_BASE_URL: options.upstreamUrl,
      LANGSMITH_TRACING_ENABLED: 'true',
      LANGSMITH_API_KEY: LANGSMITH_KEY,
      LANGSMITH_ENDPOINT: options.langsmithUrl,
      AUTH_MAX_FAILURES: '10000',
      ...options.env,
    },
    /listening on/,
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    return { child, base, key: await provision(base) };
  } catch (error) {
    await stop(child);
    throw error;
  }
}

/** A user key with limits far above what a run spends, made through the admin API. */
async function provision(base: string): Promise<string> {
  const api = async (path: string, body: unknown, method = 'POST') => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res;
  };
  const { key } = (await (await api('/api/v1/ai/admin/keys/', { user_id: 'bench', role: 'user' })).json()) as {
    key: string;
  };
  await api('/api/v1/ai/admin/limits/users/bench/', { daily_usd: 1_000_000, monthly_usd: 1_000_000 }, 'PUT');
  await api('/api/v1/ai/admin/limits/', { system_monthly_usd: 1_000_000_000 }, 'PUT');
  return key;
}
