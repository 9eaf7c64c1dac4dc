import { createHash } from 'node:crypto';
import { type Store, taggedKey } from '@tollgate/store';
import { type PromptMessage, variablesOf } from './template';

/** Defaults a completion takes from its template unless the request sets them. */
export interface PromptDefaults {
  provider?: 'openai' | 'azure' | 'anthropic' | undefined;
  model?: string | undefined;
  max_tokens?: number | undefined;
  temperature?: number | undefined;
  top_p?: number | undefined;
}

/** One immutable version, addressed by the hash of what it says. */
export interface PromptVersion {
  name: string;
  version: string;
  messages: PromptMessage[];
  defaults: PromptDefaults;
  variables: string[];
  commit_message: string | null;
  author: string;
  created_at: number;
}

export interface PromptSummary {
  name: string;
  latest: string;
  tags: Record<string, string>;
  versions: number;
  updated_at: number;
}

export interface PromptRef {
  name: string;
  version?: string | undefined;
  tag?: string | undefined;
}

export class PromptNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromptNotFoundError';
  }
}

/** Content address: the same messages and defaults are always the same version. */
export function versionOf(messages: readonly PromptMessage[], defaults: PromptDefaults): string {
  const canonical = JSON.stringify({
    messages: messages.map((m) => [m.role, m.content]),
    defaults: Object.fromEntries(
      Object.entries(defaults)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
  });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}

const keys = {
  version: (name: string, version: string) => taggedKey(`prompt:${name}`, 'v', version),
  history: (name: string) => taggedKey(`prompt:${name}`, 'history'),
  tags: (name: string) => taggedKey(`prompt:${name}`, 'tags'),
  names: () => taggedKey('prompts', 'names'),
};

/** The tag every new version moves. */
export const LATEST = 'latest';
const HISTORY_CAP = 10_000;

export function createPromptRepo(options: { store: Store; now?: () => number }) {
  const { store } = options;
  const now = options.now ?? Date.now;

  async function getVersion(name: string, version: string): Promise<PromptVersion | null> {
    const json = await store.get(keys.version(name, version));
    return json ? (JSON.parse(json) as PromptVersion) : null;
  }

  async function resolve(ref: PromptRef): Promise<PromptVersion> {
    let version = ref.version;
    if (!version) {
      const tag = ref.tag ?? LATEST;
      version = (await store.hget(keys.tags(ref.name), tag)) ?? undefined;
      if (!version) throw new PromptNotFoundError(`Prompt "${ref.name}" has no tag "${tag}"`);
    }
    const found = await getVersion(ref.name, version);
    if (!found) throw new PromptNotFoundError(`Prompt "${ref.name}" has no version "${version}"`);
    return found;
  }

  return {
    resolve,
    /**
     * Adds a version (or finds the identical one) and moves `latest` to it. Versions are
     * immutable: writing one is SET NX, so two instances creating the same content agree.
     */
    async create(input: {
      name: string;
      messages: PromptMessage[];
      defaults?: PromptDefaults;
      commit_message?: string | null;
      author: string;
    }): Promise<{ version: PromptVersion; created: boolean }> {
      const defaults = input.defaults ?? {};
      const version: PromptVersion = {
        name: input.name,
        version: versionOf(input.messages, defaults),
        messages: input.messages,
        defaults,
        variables: variablesOf(input.messages),
        commit_message: input.commit_message ?? null,
        author: input.author,
        created_at: now(),
      };
      const created = await store.set(keys.version(input.name, version.version), JSON.stringify(version), {
        onlyIfAbsent: true,
      });
      if (created) await store.pushCapped(keys.history(input.name), version.version, HISTORY_CAP);
      await store.hset(keys.tags(input.name), { [LATEST]: version.version });
      await store.hset(keys.names(), { [input.name]: String(now()) });
      return { version: created ? version : ((await getVersion(input.name, version.version)) ?? version), created };
    },
    /** Points a movable tag (`production`, `staging`, …) at a version. */
    async tag(name: string, tag: string, version: string): Promise<Record<string, string>> {
      if (!(await getVersion(name, version))) {
        throw new PromptNotFoundError(`Prompt "${name}" has no version "${version}"`);
      }
      await store.hset(keys.tags(name), { [tag]: version });
      await store.hset(keys.names(), { [name]: String(now()) });
      return store.hgetall(keys.tags(name));
    },
    tags: (name: string) => store.hgetall(keys.tags(name)),
    /** Versions newest first. */
    async history(name: string, limit = 100): Promise<PromptVersion[]> {
      const ids = await store.range(keys.history(name), 0, limit - 1);
      if (ids.length === 0) throw new PromptNotFoundError(`No prompt named "${name}"`);
      const versions = await Promise.all(ids.map((v) => getVersion(name, v)));
      return versions.filter((v): v is PromptVersion => v !== null);
    },
    async list(): Promise<PromptSummary[]> {
      const names = await store.hgetall(keys.names());
      const rows = await Promise.all(
        Object.entries(names).map(async ([name, updated]) => {
          const [tags, history] = await Promise.all([
            store.hgetall(keys.tags(name)),
            store.range(keys.history(name), 0, HISTORY_CAP),
          ]);
          return { name, latest: tags[LATEST] ?? '', tags, versions: history.length, updated_at: Number(updated) };
        }),
      );
      return rows.sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}

export type PromptRepo = ReturnType<typeof createPromptRepo>;
