import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Diff } from '../../components/diff';
import { QueryView } from '../../components/states';
import { useTRPC } from '../../trpc';

type Role = 'system' | 'user' | 'assistant';
type Message = { role: Role; content: string };

const asText = (messages: readonly Message[]) => messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n');

export function Prompts() {
  const trpc = useTRPC();
  const list = useQuery(trpc.prompts.list.queryOptions());
  const [selected, setSelected] = useState<string | null>(null);
  const names = list.data?.prompts.map((p) => p.name) ?? [];
  const current = selected ?? names[0] ?? null;

  return (
    <div className="page">
      <h1>Prompts</h1>
      <div className="prompts-layout">
        <section className="card" aria-labelledby="prompt-list-title">
          <h2 id="prompt-list-title">Templates</h2>
          <QueryView query={list} empty={(l) => l.prompts.length === 0} emptyText="No prompt templates yet.">
            {(l) => (
              <ul className="prompt-list">
                {l.prompts.map((p) => (
                  <li key={p.name}>
                    <button
                      type="button"
                      className="link"
                      aria-current={p.name === current ? 'true' : undefined}
                      onClick={() => setSelected(p.name)}
                    >
                      {p.name}
                    </button>
                    <span className="muted">
                      {' '}
                      {p.versions} version{p.versions === 1 ? '' : 's'} · {Object.keys(p.tags).join(', ')}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </QueryView>
          <NewPrompt onCreated={setSelected} />
        </section>
        {current && <PromptDetail key={current} name={current} />}
      </div>
    </div>
  );
}

function NewPrompt({ onCreated }: { onCreated: (name: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.prompts.create.mutationOptions({
      onSuccess: (v) => {
        void queryClient.invalidateQueries({ queryKey: trpc.prompts.list.queryKey() });
        onCreated(v.name);
      },
    }),
  );
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const system = String(f.get('system') ?? '').trim();
    create.mutate({
      name: String(f.get('name') ?? '').trim(),
      messages: [
        ...(system ? [{ role: 'system' as const, content: system }] : []),
        { role: 'user' as const, content: String(f.get('user') ?? '') },
      ],
      commit_message: 'created in the dashboard',
    });
  };
  return (
    <form className="stack" onSubmit={submit} aria-labelledby="new-prompt-title">
      <h3 id="new-prompt-title">New template</h3>
      <label>
        Name
        <input name="name" required pattern="[A-Za-z0-9][\w.\-]{0,63}" />
      </label>
      <label>
        System message
        <textarea name="system" rows={2} />
      </label>
      <label>
        User message (use {'{{variables}}'})
        <textarea name="user" rows={3} required />
      </label>
      <button type="submit" disabled={create.isPending}>
        Create
      </button>
      {create.isError && (
        <p className="state-error" role="alert">
          {create.error.message}
        </p>
      )}
    </form>
  );
}

function PromptDetail({ name }: { name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const history = useQuery(trpc.prompts.history.queryOptions({ name }));
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.prompts.history.queryKey({ name }) });
    void queryClient.invalidateQueries({ queryKey: trpc.prompts.list.queryKey() });
  };
  const tag = useMutation(trpc.prompts.tag.mutationOptions({ onSuccess: refresh }));
  const create = useMutation(trpc.prompts.create.mutationOptions({ onSuccess: refresh }));
  const render = useMutation(trpc.prompts.render.mutationOptions());
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const versions = history.data?.versions ?? [];
  const newest = versions[0]?.version ?? null;
  const target = versions.find((v) => v.version === (to ?? newest));
  const base = versions.find((v) => v.version === (from ?? versions[1]?.version ?? newest));
  const [draft, setDraft] = useState<Message[]>([]);
  useEffect(() => setDraft(target ? target.messages.map((m) => ({ ...m })) : []), [target]);

  const moveTag = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    tag.mutate({ name, tag: String(f.get('tag')), version: String(f.get('version')) });
  };
  const preview = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const variables = Object.fromEntries((target?.variables ?? []).map((v) => [v, String(f.get(`var-${v}`) ?? '')]));
    render.mutate({ name, version: target?.version, variables });
  };
  const saveVersion = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    create.mutate({
      name,
      messages: draft.filter((m) => m.content.trim() !== ''),
      defaults: target?.defaults ?? {},
      commit_message: String(f.get('commit_message') ?? '') || undefined,
    });
  };

  return (
    <div className="stack">
      <section className="card" aria-labelledby="versions-title">
        <h2 id="versions-title">{name}: versions</h2>
        <QueryView query={history}>
          {(h) => (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Tags</th>
                    <th scope="col">Message</th>
                    <th scope="col">Author</th>
                    <th scope="col">Created</th>
                    <th scope="col">Compare from</th>
                    <th scope="col">to</th>
                  </tr>
                </thead>
                <tbody>
                  {h.versions.map((v) => (
                    <tr key={v.version}>
                      <th scope="row">
                        <code>{v.version}</code>
                      </th>
                      <td>
                        {Object.entries(h.tags)
                          .filter(([, id]) => id === v.version)
                          .map(([t]) => (
                            <span key={t} className="badge badge-success">
                              {t}
                            </span>
                          ))}
                      </td>
                      <td>{v.commit_message ?? '—'}</td>
                      <td>{v.author}</td>
                      <td>{new Date(v.created_at).toLocaleString()}</td>
                      <td>
                        <input
                          type="radio"
                          name="from"
                          aria-label={`Compare from ${v.version}`}
                          checked={base?.version === v.version}
                          onChange={() => setFrom(v.version)}
                        />
                      </td>
                      <td>
                        <input
                          type="radio"
                          name="to"
                          aria-label={`Compare to ${v.version}`}
                          checked={target?.version === v.version}
                          onChange={() => setTo(v.version)}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <form className="inline-form" onSubmit={moveTag} aria-label="Move a tag">
                <label>
                  Tag
                  <input name="tag" defaultValue="production" required pattern="[A-Za-z0-9][\w.\-]{0,31}" />
                </label>
                <label>
                  Version
                  <select name="version" defaultValue={target?.version}>
                    {h.versions.map((v) => (
                      <option key={v.version} value={v.version}>
                        {v.version} {v.commit_message ? `— ${v.commit_message}` : ''}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit" disabled={tag.isPending}>
                  Move tag
                </button>
                {tag.isError && (
                  <span className="state-error" role="alert">
                    {tag.error.message}
                  </span>
                )}
              </form>
            </>
          )}
        </QueryView>
      </section>

      {base && target && (
        <section className="card" aria-labelledby="diff-title">
          <h2 id="diff-title">
            Changes from <code>{base.version}</code> to <code>{target.version}</code>
          </h2>
          <Diff before={asText(base.messages)} after={asText(target.messages)} />
        </section>
      )}

      {target && (
        <section className="card" aria-labelledby="preview-title">
          <h2 id="preview-title">
            Render preview of <code>{target.version}</code>
          </h2>
          <form className="stack" onSubmit={preview}>
            {target.variables.length === 0 && <p className="muted">This version has no variables.</p>}
            {target.variables.map((v) => (
              <label key={v}>
                {v}
                <input name={`var-${v}`} />
              </label>
            ))}
            <button type="submit" disabled={render.isPending}>
              Render
            </button>
          </form>
          {render.isError && (
            <p className="state-error" role="alert">
              {render.error.message}
            </p>
          )}
          {render.data && (
            <ol className="rendered" aria-label="Rendered messages">
              {render.data.messages.map((m, i) => (
                <li key={`${i}-${m.role}`}>
                  <strong>{m.role}</strong>
                  <pre>{m.content}</pre>
                </li>
              ))}
            </ol>
          )}
        </section>
      )}

      {target && (
        <form className="card stack" onSubmit={saveVersion} aria-labelledby="edit-title">
          <h2 id="edit-title">New version from {target.version}</h2>
          {draft.map((m, i) => (
            <label key={`${i}-${m.role}`}>
              {m.role} message
              <textarea
                rows={3}
                value={m.content}
                onChange={(e) => setDraft(draft.map((d, j) => (j === i ? { ...d, content: e.target.value } : d)))}
              />
            </label>
          ))}
          <label>
            Commit message
            <input name="commit_message" maxLength={500} />
          </label>
          <button type="submit" disabled={create.isPending}>
            Save new version
          </button>
          {create.data && (
            <p role="status">
              {create.data.created ? 'Saved' : 'Unchanged: same content as'} version <code>{create.data.version}</code>
            </p>
          )}
        </form>
      )}
    </div>
  );
}
