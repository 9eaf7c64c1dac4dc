import type { ProviderId } from '@tollgate/schemas';
import { createAnthropicProvider } from './anthropic/adapter';
import { createAzureOpenAIProvider, createOpenAIProvider } from './openai/adapter';
import type { ChatProvider } from './types';

export interface ProvidersConfig {
  openai?: { apiKey: string; baseURL?: string | undefined } | undefined;
  azure?: { apiKey: string; endpoint: string; apiVersion: string } | undefined;
  anthropic?: { apiKey: string; baseURL?: string | undefined } | undefined;
  fetch?: typeof fetch | undefined;
}

/** The configured providers; a provider without credentials is simply absent. */
export function createProviders(config: ProvidersConfig): Partial<Record<ProviderId, ChatProvider>> {
  const providers: Partial<Record<ProviderId, ChatProvider>> = {};
  if (config.openai) providers.openai = createOpenAIProvider({ ...config.openai, fetch: config.fetch });
  if (config.azure) providers.azure = createAzureOpenAIProvider({ ...config.azure, fetch: config.fetch });
  if (config.anthropic) providers.anthropic = createAnthropicProvider({ ...config.anthropic, fetch: config.fetch });
  return providers;
}
