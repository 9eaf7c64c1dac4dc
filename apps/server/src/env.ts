import { z } from 'zod';

/**
 * The only module that reads process.env. Every variable is validated at boot; a bad value stops
 * the process with a message naming every bad variable. Keep `.env.example` in step with this.
 */
const bool = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']))
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const usd = z.coerce.number().finite().nonnegative().max(1e9, 'at most $1,000,000,000');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = z.url({ protocol: /^https?$/ });
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const schema = z.object({
  PORT: int(0, 65535).default(8000),
  HOST: z.string().min(1).default('127.0.0.1'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_BODY_BYTES: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: int(0, 10 * 60_000).default(10_000),
  TRUST_PROXY: int(0, 10).default(0),
  CORS_ORIGINS: list
    .pipe(z.array(z.url({ protocol: /^https?$/ }).refine((o) => new URL(o).origin === o, 'an origin has no path')))
    .default([]),
  WEB_DIST_DIR: z.string().optional(),

  REDIS_URL: z
    .string()
    .regex(/^(rediss?:\/\/|[\w.-]+:\d+)/, 'a redis:// or rediss:// URL')
    .optional(),
  REDIS_CLUSTER: bool.default(false),
  REDIS_COMMAND_TIMEOUT_MS: int(10, 60_000).default(500),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w.:-]*$/, 'letters, digits and . _ : - only')
    .default(''),

  ADMIN_TOKEN: z.string().min(24, 'at least 24 characters').optional(),
  AUTH_JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  AUTH_JWT_ISSUER: z.string().min(1).optional(),
  AUTH_JWT_AUDIENCE: z.string().min(1).optional(),
  AUTH_MAX_FAILURES: int(1, 10_000).default(10),

  AI_COST_TRACKING_ENABLED: bool.default(true),
  AI_USER_DAILY_SPEND_LIMIT_USD: usd.default(5),
  AI_MONTHLY_SPEND_LIMIT_USD: usd.default(1000),
  AI_USER_MONTHLY_SPEND_LIMIT_USD: usd.optional(),
  SPEND_FAILURE_MODE: z.enum(['closed', 'open']).default('closed'),

  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: url.optional(),
  AZURE_OPENAI_API_KEY: z.string().min(1).optional(),
  AZURE_OPENAI_ENDPOINT: url.optional(),
  AZURE_OPENAI_API_VERSION: z.string().min(1).default('2024-10-21'),
  AZURE_OPENAI_DEPLOYMENTS: list
    .pipe(z.array(z.string().regex(/^[\w.-]+=[\w.:/-]+$/, 'entries look like deployment=model')))
    .transform((pairs) => Object.fromEntries(pairs.map((p) => p.split('=') as [string, string])))
    .default({}),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: url.optional(),
  DEFAULT_PROVIDER: z.enum(['openai', 'azure', 'anthropic']).optional(),
  OPENAI_DEFAULT_MODEL: z.string().min(1).default('gpt-4o-mini'),
  ANTHROPIC_DEFAULT_MODEL: z.string().min(1).default('claude-3-5-haiku-latest'),
  AZURE_OPENAI_DEFAULT_DEPLOYMENT: z.string().min(1).optional(),
  PROVIDER_TIMEOUT_MS: int(1_000, 30 * 60_000).default(120_000),
  PROVIDER_MAX_RETRIES: int(0, 10).default(2),
  STREAM_MAX_DURATION_MS: int(1_000, 60 * 60_000).default(10 * 60_000),

  LANGSMITH_API_KEY: z.string().min(1).optional(),
  LANGSMITH_PROJECT: z.string().min(1).default('tollgate'),
  LANGSMITH_ENDPOINT: url.default('https://api.smith.langchain.com'),
  LANGSMITH_TRACING_ENABLED: bool.default(false),
  LANGSMITH_WORKSPACE_ID: z.string().min(1).optional(),
  LANGSMITH_TRACING_SAMPLING_RATE: z.coerce.number().min(0).max(1).optional(),
  LANGSMITH_HIDE_INPUTS: bool.default(false),
  LANGSMITH_HIDE_OUTPUTS: bool.default(false),
  LANGSMITH_TIMEOUT_MS: int(100, 120_000).default(5_000),
  LANGSMITH_UI_URL: url.default('https://smith.langchain.com'),
  ALERT_EVAL_INTERVAL_MS: int(0, 24 * 3_600_000).default(60_000),
  ALERT_COOLDOWN_MS: int(0, 7 * 86_400_000).default(30 * 60_000),
  ALERT_WEBHOOK_URLS: list.pipe(z.array(url)).default([]),
  ALERT_SLACK_WEBHOOK_URLS: list.pipe(z.array(url)).default([]),
  ALERT_ERROR_RATE_PERCENT: z.coerce.number().min(0).max(100).default(5),
  ALERT_WINDOW_MINUTES: int(1, 180).default(15),
  ALERT_MIN_REQUESTS: int(1, 1_000_000).default(20),
  ALERT_P95_LATENCY_MS: int(1, 3_600_000).default(5_000),
  ALERT_DAILY_SPEND_USD: usd.default(100),
  ALERT_USER_SPEND_FACTOR: z.coerce.number().min(1).max(1_000).default(5),
  ALERT_USER_SPEND_MIN_USD: usd.default(2),
  ALERT_PROVIDER_ERROR_RATE_PERCENT: z.coerce.number().min(0).max(100).default(25),
  ALERT_PROVIDER_CONSECUTIVE_FAILURES: int(1, 10_000).default(5),

  METRICS_ENABLED: bool.default(true),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),

  // Read only to refuse them: the LangSmith SDK fails every traced call with these set.
  LANGSMITH_RUNS_ENDPOINTS: z.string().optional(),
  LANGSMITH_TRACING_MODE: z.string().optional(),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Secrets are named in errors, never echoed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const config = parsed.data;
  const extra: string[] = [];
  if (config.LANGSMITH_TRACING_ENABLED && !config.LANGSMITH_API_KEY) {
    extra.push('LANGSMITH_API_KEY: required when LANGSMITH_TRACING_ENABLED=true');
  }
  if (config.LANGSMITH_RUNS_ENDPOINTS) {
    extra.push('LANGSMITH_RUNS_ENDPOINTS: not supported (the LangSmith SDK then fails every traced call); unset it');
  }
  if (config.LANGSMITH_TRACING_MODE && config.LANGSMITH_TRACING_MODE !== 'langsmith') {
    extra.push('LANGSMITH_TRACING_MODE: must be unset or "langsmith"');
  }
  if (config.AZURE_OPENAI_API_KEY && !config.AZURE_OPENAI_ENDPOINT) {
    extra.push('AZURE_OPENAI_ENDPOINT: required when AZURE_OPENAI_API_KEY is set');
  }
  if ((config.AUTH_JWT_ISSUER || config.AUTH_JWT_AUDIENCE) && !config.AUTH_JWT_SECRET) {
    extra.push('AUTH_JWT_SECRET: required when AUTH_JWT_ISSUER or AUTH_JWT_AUDIENCE is set');
  }
  if (extra.length > 0) throw new ConfigError(extra);
  return config;
}

/** Loads `.env` from the working directory when present (Node ≥ 20.12), without overriding real env vars. */
export function loadDotEnv(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch {
    // No .env file: configuration comes from the environment alone.
  }
}
