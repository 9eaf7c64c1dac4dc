import { Client } from 'langsmith';
import type { PromptVersion } from './repo';
import type { PromptMessage } from './template';

/** Where prompt versions are shared: LangSmith's prompt hub. */
export interface PromptHub {
  /** Pushes a version as a new commit; returns the commit hash and the prompt's URL. */
  push(version: PromptVersion): Promise<{ commit: string | null; url: string }>;
  /** Pulls a commit (`latest`, a tag or a hash) back into messages. */
  pull(name: string, ref?: string): Promise<{ commit: string; messages: PromptMessage[] }>;
}

export class PromptHubError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromptHubError';
  }
}

// LangChain's serialisation of a ChatPromptTemplate, so a pushed prompt opens in LangSmith's
// playground and `hub.pull` in LangChain gives the same template. Mustache keeps `{{var}}` as is.
const CLASS: Record<PromptMessage['role'], string> = {
  system: 'SystemMessagePromptTemplate',
  user: 'HumanMessagePromptTemplate',
  assistant: 'AIMessagePromptTemplate',
};
const ROLE = Object.fromEntries(Object.entries(CLASS).map(([role, cls]) => [cls, role])) as Record<
  string,
  PromptMessage['role']
>;

const lc = (id: string[], kwargs: Record<string, unknown>) => ({ lc: 1, type: 'constructor', id, kwargs });

export function toManifest(v: Pick<PromptVersion, 'messages' | 'variables'>) {
  return lc(['langchain_core', 'prompts', 'chat', 'ChatPromptTemplate'], {
    input_variables: v.variables,
    template_format: 'mustache',
    messages: v.messages.map((m) =>
      lc(['langchain_core', 'prompts', 'chat', CLASS[m.role]], {
        prompt: lc(['langchain_core', 'prompts', 'prompt', 'PromptTemplate'], {
          input_variables: v.variables.filter((name) => m.content.includes(name)),
          template: m.content,
          template_format: 'mustache',
        }),
      }),
    ),
  });
}

type Node = { id?: unknown; kwargs?: Record<string, unknown> };

export function fromManifest(manifest: unknown): PromptMessage[] {
  const messages = (manifest as Node)?.kwargs?.messages;
  if (!Array.isArray(messages)) throw new PromptHubError('The hub commit is not a chat prompt template');
  return messages.map((node: Node) => {
    const cls = Array.isArray(node.id) ? String(node.id.at(-1)) : '';
    const role = ROLE[cls];
    const template = (node.kwargs?.prompt as Node | undefined)?.kwargs?.template;
    if (!role || typeof template !== 'string') {
      throw new PromptHubError(`Unsupported message in the hub commit: ${cls || 'unknown'}`);
    }
    return { role, content: template };
  });
}

export function createLangSmithPromptHub(options: {
  apiKey: string;
  apiUrl: string;
  workspaceId?: string | undefined;
  timeoutMs?: number;
}): PromptHub {
  const client = new Client({
    apiKey: options.apiKey,
    apiUrl: options.apiUrl,
    timeout_ms: options.timeoutMs ?? 10_000,
    autoBatchTracing: false,
    disablePromptCache: true,
    ...(options.workspaceId && { workspaceId: options.workspaceId }),
  });
  const wrap = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof PromptHubError) throw error;
      // The SDK's messages can quote URLs and bodies; say what failed, not what it said.
      const status = (error as { status?: number }).status;
      throw new PromptHubError(`LangSmith ${what} failed${status ? ` (HTTP ${status})` : ''}`);
    }
  };
  return {
    push: (v) =>
      wrap('push', async () => {
        const url = await client.pushPrompt(v.name, {
          object: toManifest(v),
          commitDescription: v.commit_message ?? `Tollgate version ${v.version}`,
        });
        return { url, commit: /:([0-9a-f]{8,})$/.exec(url)?.[1] ?? url.split('/').at(-1)?.split('?')[0] ?? null };
      }),
    pull: (name, ref = 'latest') =>
      wrap('pull', async () => {
        const commit = await client.pullPromptCommit(`${name}:${ref}`, { skipCache: true });
        return { commit: commit.commit_hash, messages: fromManifest(commit.manifest) };
      }),
  };
}
