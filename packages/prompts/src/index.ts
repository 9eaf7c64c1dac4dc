export {
  createLangSmithPromptHub,
  fromManifest,
  type PromptHub,
  PromptHubError,
  toManifest,
} from './langsmith-hub';
export {
  createPromptRepo,
  LATEST,
  type PromptDefaults,
  PromptNotFoundError,
  type PromptRef,
  type PromptRepo,
  type PromptSummary,
  type PromptVersion,
  versionOf,
} from './repo';
export { type PromptMessage, type PromptVariables, PromptVariablesError, render, variablesOf } from './template';
