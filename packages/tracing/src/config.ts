export interface TracingConfig {
  enabled: boolean;
  apiKey?: string | undefined;
  project: string;
  endpoint: string;
  workspaceId?: string | undefined;
  /** 0..1: share of traces kept, whole traces at a time. */
  samplingRate?: number | undefined;
  /** Send `{}` instead of prompts / completions. */
  hideInputs?: boolean | undefined;
  hideOutputs?: boolean | undefined;
  /** Per upload request, ms (the SDK's default is 90 s). */
  timeoutMs?: number | undefined;
  /** Memory the SDK may hold for unsent runs (its default is 1 GiB). */
  maxMemoryBytes?: number | undefined;
  /** Upload retries (the SDK's default is 4). */
  maxRetries?: number | undefined;
  /** LangSmith's web app, for links to traces (`<ui>/r/<trace id>`). */
  uiUrl?: string | undefined;
}

export class TracingConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TracingConfigError';
  }
}

/**
 * Settings the SDK would throw on at every traced call are refused here, at boot, with a message
 * that names the setting.
 */
export function validateTracingConfig(config: TracingConfig, env: Readonly<Record<string, string | undefined>>): void {
  if (!config.enabled) return;
  if (!config.apiKey) throw new TracingConfigError('LANGSMITH_API_KEY is required when LANGSMITH_TRACING_ENABLED=true');
  if (config.samplingRate !== undefined && !(config.samplingRate >= 0 && config.samplingRate <= 1)) {
    throw new TracingConfigError('LANGSMITH_TRACING_SAMPLING_RATE must be between 0 and 1');
  }
  if (env.LANGSMITH_RUNS_ENDPOINTS || env.LANGCHAIN_RUNS_ENDPOINTS) {
    throw new TracingConfigError(
      'LANGSMITH_RUNS_ENDPOINTS cannot be combined with LANGSMITH_ENDPOINT (the LangSmith SDK fails every traced call); unset it',
    );
  }
  const mode = env.LANGSMITH_TRACING_MODE;
  if (mode !== undefined && mode !== '' && mode !== 'langsmith') {
    throw new TracingConfigError('LANGSMITH_TRACING_MODE must be unset or "langsmith"');
  }
}
