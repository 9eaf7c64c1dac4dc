import type { ChatProvider } from '@tollgate/providers';
import type { ProviderId } from '@tollgate/schemas';
import { fail } from '../errors';

export interface CompletionDefaults {
  /** Used when a request names neither provider nor a recognisable model. */
  provider?: ProviderId | undefined;
  models: Partial<Record<ProviderId, string>>;
}

export interface Target {
  provider: ProviderId;
  model: string;
  client: ChatProvider;
}

const PREFIX = /^(openai|azure|anthropic)\/(.+)$/;

/**
 * Which provider and model a request goes to: an explicit provider, a prefixed model
 * (`anthropic/claude-…`, `azure/<deployment>`), a Claude model name, or the defaults.
 */
export function resolveTarget(
  providers: Partial<Record<ProviderId, ChatProvider>>,
  defaults: CompletionDefaults,
  requested: { provider?: ProviderId | undefined; model?: string | undefined },
): Target {
  let provider = requested.provider;
  let model = requested.model;
  const prefixed = model ? PREFIX.exec(model) : null;
  if (prefixed) {
    const named = prefixed[1] as ProviderId;
    if (provider && provider !== named) {
      fail(400, 'PROVIDER_MISMATCH', `Model "${model}" belongs to ${named}, but provider "${provider}" was requested`);
    }
    provider = named;
    model = prefixed[2];
  }
  if (!provider && model) provider = /^claude/.test(model) ? 'anthropic' : undefined;
  const configured = (['openai', 'azure', 'anthropic'] as const).filter((p) => providers[p]);
  provider ??= defaults.provider && providers[defaults.provider] ? defaults.provider : configured[0];
  if (!provider) fail(503, 'NO_PROVIDER_CONFIGURED', 'No LLM provider is configured on this gateway');
  const client = providers[provider];
  if (!client) fail(400, 'PROVIDER_NOT_CONFIGURED', `Provider "${provider}" is not configured on this gateway`);
  model ??= defaults.models[provider];
  if (!model) fail(400, 'MODEL_REQUIRED', `Name a model: "${provider}" has no default model configured`);
  return { provider, model, client };
}
