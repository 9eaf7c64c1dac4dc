export { type AnthropicProviderOptions, createAnthropicProvider } from './anthropic/adapter';
export { normaliseProviderError, ProviderError, type ProviderErrorKind } from './errors';
export {
  type AzureProviderOptions,
  createAzureOpenAIProvider,
  createOpenAIProvider,
  type OpenAIProviderOptions,
} from './openai/adapter';
export { createProviders, type ProvidersConfig } from './registry';
export { DEFAULT_RETRY, type RetryPolicy, withRetries } from './retry';
export type {
  CallOptions,
  ChatMessage,
  ChatProvider,
  ChatRequest,
  ChatResult,
  FinishReason,
  ResponseFormat,
  StreamEvent,
  ToolCall,
  ToolCallDelta,
  ToolChoice,
  ToolDefinition,
} from './types';
