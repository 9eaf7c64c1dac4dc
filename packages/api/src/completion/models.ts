import type { ProviderId } from '@tollgate/schemas';
import type { ApiDeps } from '../context';

/** Well-known models offered in `/v1/models` next to each provider's default and the admins' priced models. */
const KNOWN: Record<ProviderId, string[]> = {
  openai: ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1', 'gpt-4.1-mini', 'o3-mini'],
  anthropic: ['claude-3-5-haiku-latest', 'claude-sonnet-4-5', 'claude-3-5-sonnet-latest'],
  azure: [],
};

export interface ModelInfo {
  /** The name to send as `model` (prefixed for Anthropic and Azure, so no provider field is needed). */
  id: string;
  provider: ProviderId;
  model: string;
  priced: boolean;
}

export function listModels(deps: ApiDeps): ModelInfo[] {
  const seen = new Map<string, ModelInfo>();
  for (const provider of ['openai', 'azure', 'anthropic'] as const) {
    if (!deps.providers[provider]) continue;
    const names = new Set<string>([
      ...(deps.completions.defaults.models[provider] ? [deps.completions.defaults.models[provider] as string] : []),
      ...KNOWN[provider],
      ...(deps.completions.azureDeployments && provider === 'azure'
        ? Object.keys(deps.completions.azureDeployments)
        : []),
      ...deps.priceOverrides
        .current()
        .filter((o) => o.provider === provider)
        .map((o) => o.model),
    ]);
    for (const model of names) {
      const id = provider === 'openai' ? model : `${provider}/${model}`;
      seen.set(id, { id, provider, model, priced: deps.pricer.resolve(provider, model) !== null });
    }
  }
  return [...seen.values()];
}
