import {
  type PromptMessage,
  type PromptVariables,
  PromptVariablesError,
  type PromptVersion,
  render,
} from '@tollgate/prompts';
import type { ApiDeps } from '../context';
import { fail } from '../errors';
import type { CompletionInput } from './input';

export interface AppliedPrompt {
  name: string;
  version: string;
}

/** A version's messages rendered, or the 400 that names the missing and unknown variables. */
export function renderVersion(version: PromptVersion, variables: PromptVariables): PromptMessage[] {
  try {
    return render(version.messages, variables);
  } catch (error) {
    if (error instanceof PromptVariablesError) {
      fail(400, 'PROMPT_VARIABLES', `Prompt "${version.name}": ${error.message}`, {
        missing: error.missing,
        unknown: error.unknown,
      });
    }
    throw error;
  }
}

/**
 * A completion that names a stored template becomes an ordinary one: the rendered messages first
 * (then any messages the request adds), and the template's provider, model and parameters
 * wherever the request leaves them out.
 */
export async function applyTemplate(
  deps: ApiDeps,
  input: CompletionInput,
): Promise<{ input: CompletionInput; prompt: AppliedPrompt | null }> {
  const ref = input.prompt;
  if (ref === undefined || typeof ref === 'string') return { input, prompt: null };
  const version = await deps.prompts.resolve(ref);
  const messages = renderVersion(version, ref.variables);
  const d = version.defaults;
  const { prompt: _, ...rest } = input;
  // Object.assign rather than `{...rest, …}`: on Node 20 each property after a spread costs µs.
  const applied: CompletionInput = Object.assign(rest, {
    messages: [
      ...messages.map((m) => ({ role: m.role, content: m.content as string | null })),
      ...(input.messages ?? []),
    ],
    provider: input.provider ?? (input.model ? undefined : d.provider),
    model: input.model ?? d.model,
    max_tokens: input.max_tokens ?? d.max_tokens,
    temperature: input.temperature ?? d.temperature,
    top_p: input.top_p ?? d.top_p,
  });
  return { input: applied, prompt: { name: version.name, version: version.version } };
}
