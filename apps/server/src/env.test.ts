import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env';

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 8000,
      HOST: '127.0.0.1',
      AI_USER_DAILY_SPEND_LIMIT_USD: 5,
      AI_MONTHLY_SPEND_LIMIT_USD: 1000,
      AI_COST_TRACKING_ENABLED: true,
      SPEND_FAILURE_MODE: 'closed',
      MAX_BODY_BYTES: 1_048_576,
      LANGSMITH_TRACING_ENABLED: false,
    });
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.AI_USER_MONTHLY_SPEND_LIMIT_USD).toBeUndefined();
  });

  it('names every bad variable at once and never echoes a secret', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        AI_USER_DAILY_SPEND_LIMIT_USD: '-1',
        ADMIN_TOKEN: 'short-secret',
        LANGSMITH_TRACING_ENABLED: 'maybe',
        OPENAI_BASE_URL: 'ftp://x',
        CORS_ORIGINS: 'https://ok.example.com,https://bad.example.com/path',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of [
      'PORT',
      'AI_USER_DAILY_SPEND_LIMIT_USD',
      'ADMIN_TOKEN',
      'LANGSMITH_TRACING_ENABLED',
      'OPENAI_BASE_URL',
      'CORS_ORIGINS',
    ]) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('short-secret');
  });

  it('parses booleans, lists and deployment maps; empty means unset', () => {
    const c = loadConfig({
      AI_COST_TRACKING_ENABLED: 'no',
      REDIS_URL: '',
      AZURE_OPENAI_DEPLOYMENTS: 'prod-gpt4o=gpt-4o, cheap=gpt-4o-mini',
      CORS_ORIGINS: 'http://localhost:5173',
    });
    expect(c.AI_COST_TRACKING_ENABLED).toBe(false);
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.AZURE_OPENAI_DEPLOYMENTS).toEqual({ 'prod-gpt4o': 'gpt-4o', cheap: 'gpt-4o-mini' });
    expect(c.CORS_ORIGINS).toEqual(['http://localhost:5173']);
  });

  it('requires a LangSmith key when tracing is on', () => {
    expect(() => loadConfig({ LANGSMITH_TRACING_ENABLED: 'true' })).toThrow(/LANGSMITH_API_KEY/);
  });
});
