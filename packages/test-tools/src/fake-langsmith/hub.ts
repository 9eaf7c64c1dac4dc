import { createHash, randomUUID } from 'node:crypto';

/** A commit as the fake hub keeps it. */
export interface HubCommit {
  id: string;
  commit_hash: string;
  manifest: unknown;
  parent_commit: string | null;
  created_at: string;
}

interface HubRepo {
  repo_handle: string;
  owner: string;
  description: string | null;
  commits: HubCommit[];
  tags: Map<string, string>;
}

type Json = (status: number, body: unknown) => void;

/**
 * LangSmith's prompt hub, the part the SDK's pushPrompt / pullPromptCommit use: settings, repos,
 * commits (newest first) and commit tags. Private prompts are owned by "-".
 */
export function createFakeHub() {
  const repos = new Map<string, HubRepo>();
  const repoJson = (r: HubRepo) => ({
    id: r.repo_handle,
    repo_handle: r.repo_handle,
    owner: r.owner,
    full_name: `${r.owner}/${r.repo_handle}`,
    description: r.description,
    num_commits: r.commits.length,
    last_commit_hash: r.commits[0]?.commit_hash ?? null,
    is_public: false,
    tags: [],
  });

  /** Handles a hub request; false when the path is not the hub's. */
  function handle(method: string, url: URL, body: string, json: Json): boolean {
    const path = url.pathname.replace(/\/$/, '');
    if (method === 'GET' && path === '/settings') {
      json(200, { id: 'fake-org', display_name: 'Fake org', tenant_handle: null });
      return true;
    }
    if (method === 'POST' && path === '/repos') {
      const data = JSON.parse(body) as { repo_handle: string; description?: string };
      const repo: HubRepo = {
        repo_handle: data.repo_handle,
        owner: '-',
        description: data.description ?? null,
        commits: [],
        tags: new Map(),
      };
      repos.set(data.repo_handle, repo);
      json(200, { repo: repoJson(repo) });
      return true;
    }
    const tags = /^\/repos\/([^/]+)\/([^/]+)\/tags$/.exec(path);
    if (tags && method === 'POST') {
      const repo = repos.get(tags[2] as string);
      const data = JSON.parse(body) as { tag_name: string; commit_id: string };
      if (!repo) {
        json(404, { detail: 'no such prompt' });
        return true;
      }
      repo.tags.set(data.tag_name, data.commit_id);
      json(200, { tag_name: data.tag_name, commit_id: data.commit_id });
      return true;
    }
    const repoPath = /^\/repos\/([^/]+)\/([^/]+)$/.exec(path);
    if (repoPath) {
      const repo = repos.get(repoPath[2] as string);
      if (!repo) {
        json(404, { detail: 'no such prompt' });
        return true;
      }
      if (method === 'PATCH') repo.description = (JSON.parse(body) as { description?: string }).description ?? null;
      json(200, { repo: repoJson(repo) });
      return true;
    }
    const commits = /^\/commits\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (commits) {
      const repo = repos.get(commits[2] as string);
      if (!repo) {
        json(404, { detail: 'no such prompt' });
        return true;
      }
      const ref = commits[3];
      if (method === 'POST' && !ref) {
        const data = JSON.parse(body) as { manifest: unknown; parent_commit?: string };
        const commit: HubCommit = {
          id: randomUUID(),
          commit_hash: createHash('sha256').update(body).update(randomUUID()).digest('hex').slice(0, 40),
          manifest: data.manifest,
          parent_commit: data.parent_commit ?? null,
          created_at: new Date().toISOString(),
        };
        repo.commits.unshift(commit);
        json(200, { commit });
        return true;
      }
      if (method === 'GET' && !ref) {
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const limit = Number(url.searchParams.get('limit') ?? 100);
        json(200, { commits: repo.commits.slice(offset, offset + limit), total: repo.commits.length });
        return true;
      }
      if (method === 'GET' && ref) {
        const byTag = repo.tags.get(ref);
        const commit =
          ref === 'latest'
            ? repo.commits[0]
            : repo.commits.find((c) => c.id === byTag || c.commit_hash.startsWith(ref));
        if (!commit) {
          json(404, { detail: 'no such commit' });
          return true;
        }
        json(200, { commit_hash: commit.commit_hash, manifest: commit.manifest, examples: [] });
        return true;
      }
    }
    return false;
  }

  return {
    handle,
    /** Commits of a prompt, newest first. */
    commits: (name: string) => repos.get(name)?.commits ?? [],
    reset: () => repos.clear(),
  };
}
