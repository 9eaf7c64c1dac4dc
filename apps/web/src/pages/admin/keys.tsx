import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { QueryView } from '../../components/states';
import { when } from '../../format';
import { useTRPC } from '../../trpc';

export function Keys() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.admin.keys.list.queryOptions());
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.admin.keys.list.queryKey() });
  const [created, setCreated] = useState<{ key: string; key_id: string } | null>(null);
  const create = useMutation(
    trpc.admin.keys.create.mutationOptions({
      onSuccess: (k) => {
        setCreated(k);
        refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.admin.keys.revoke.mutationOptions({ onSuccess: refresh }));
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    create.mutate({
      user_id: String(d.get('user_id')),
      role: String(d.get('role')) as 'user' | 'service' | 'admin',
      name: String(d.get('name') || 'api key'),
    });
    e.currentTarget.reset();
  };
  return (
    <div className="page">
      <h1>API keys</h1>
      <form className="card form-row" onSubmit={submit} aria-label="Create an API key">
        <label>
          User id <input name="user_id" required />
        </label>
        <label>
          Role
          <select name="role" defaultValue="user">
            <option>user</option>
            <option>service</option>
            <option>admin</option>
          </select>
        </label>
        <label>
          Name <input name="name" placeholder="e.g. mobile app" />
        </label>
        <button type="submit" className="primary" disabled={create.isPending}>
          Create key
        </button>
        {create.isError && (
          <p role="alert" className="error-text">
            {create.error.message}
          </p>
        )}
      </form>
      {created && (
        <section className="card new-key" role="status" aria-live="polite">
          <strong>New key {created.key_id}</strong> — copy it now, it is not shown again:
          <code className="secret">{created.key}</code>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(created.key)}>
            Copy
          </button>{' '}
          <button type="button" onClick={() => setCreated(null)}>
            Done
          </button>
        </section>
      )}
      <section className="card">
        <QueryView query={list} empty={(l) => l.keys.length === 0} emptyText="No API keys yet.">
          {(l) => (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Name</th>
                    <th scope="col">User</th>
                    <th scope="col">Role</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {l.keys.map((k) => (
                    <tr key={k.key_id}>
                      <th scope="row">
                        <code>{k.prefix}…</code> <span className="muted">{k.key_id}</span>
                      </th>
                      <td>{k.name}</td>
                      <td>{k.user_id}</td>
                      <td>{k.role}</td>
                      <td>{when(k.created_at)}</td>
                      <td>{k.last_used_at ? when(k.last_used_at) : 'never'}</td>
                      <td>
                        {k.revoked_at ? (
                          <span className="badge badge-error">revoked</span>
                        ) : (
                          <button type="button" className="danger" onClick={() => revoke.mutate({ key_id: k.key_id })}>
                            Revoke
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryView>
      </section>
    </div>
  );
}
