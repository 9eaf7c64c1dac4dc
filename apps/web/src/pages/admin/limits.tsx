import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { QueryView } from '../../components/states';
import { usd } from '../../format';
import { useTRPC } from '../../trpc';

const dollars = (v: FormDataEntryValue | null) => {
  const s = String(v ?? '').trim();
  return s === '' ? null : Number(s);
};

export function Limits() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const limits = useQuery(trpc.admin.limits.get.queryOptions());
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.admin.limits.get.queryKey() });
  const setDefaults = useMutation(trpc.admin.limits.setDefaults.mutationOptions({ onSuccess: refresh }));
  const setUser = useMutation(trpc.admin.limits.setUser.mutationOptions({ onSuccess: refresh }));
  const [editing, setEditing] = useState<string | null>(null);

  const saveDefaults = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    setDefaults.mutate({
      user_daily_usd: dollars(d.get('user_daily_usd')),
      user_monthly_usd: dollars(d.get('user_monthly_usd')),
      system_monthly_usd: dollars(d.get('system_monthly_usd')),
    });
  };
  const saveUser = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    setUser.mutate({
      user_id: String(d.get('user_id')),
      daily_usd: dollars(d.get('daily_usd')),
      monthly_usd: dollars(d.get('monthly_usd')),
    });
    setEditing(null);
    e.currentTarget.reset();
  };

  return (
    <div className="page">
      <h1>Limits</h1>
      <QueryView query={limits}>
        {(l) => (
          <>
            <form className="card form-grid" onSubmit={saveDefaults} aria-labelledby="defaults-title">
              <h2 id="defaults-title">Defaults</h2>
              <p className="muted">
                Empty goes back to the configured value. Changes apply to the next request on every instance.
              </p>
              <label>
                Per-user daily limit (USD)
                <input
                  name="user_daily_usd"
                  type="number"
                  min="0"
                  step="0.01"
                  defaultValue={l.defaults.overridden.user_daily ? l.defaults.user_daily_usd : ''}
                  placeholder={String(l.defaults.user_daily_usd)}
                />
              </label>
              <label>
                Per-user monthly limit (USD)
                <input
                  name="user_monthly_usd"
                  type="number"
                  min="0"
                  step="0.01"
                  defaultValue={l.defaults.overridden.user_monthly ? (l.defaults.user_monthly_usd ?? '') : ''}
                  placeholder={l.defaults.user_monthly_usd === null ? 'none' : String(l.defaults.user_monthly_usd)}
                />
              </label>
              <label>
                System monthly cap (USD)
                <input
                  name="system_monthly_usd"
                  type="number"
                  min="0"
                  step="1"
                  defaultValue={l.defaults.overridden.system_monthly ? l.defaults.system_monthly_usd : ''}
                  placeholder={String(l.defaults.system_monthly_usd)}
                />
              </label>
              <button type="submit" className="primary" disabled={setDefaults.isPending}>
                Save defaults
              </button>
              {setDefaults.isError && (
                <p role="alert" className="error-text">
                  {setDefaults.error.message}
                </p>
              )}
              {setDefaults.isSuccess && (
                <p role="status" className="ok-text">
                  Saved.
                </p>
              )}
            </form>
            <section className="card">
              <h2>Per-user overrides</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col" className="num">
                      Daily
                    </th>
                    <th scope="col" className="num">
                      Monthly
                    </th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {l.users.length === 0 && (
                    <tr>
                      <td colSpan={4} className="muted">
                        No overrides: every user has the defaults.
                      </td>
                    </tr>
                  )}
                  {l.users.map((u) => (
                    <tr key={u.user_id}>
                      <th scope="row">{u.user_id}</th>
                      <td className="num">{u.daily_usd === null ? 'default' : usd(u.daily_usd)}</td>
                      <td className="num">
                        {u.monthly_unlimited ? 'none' : u.monthly_usd === null ? 'default' : usd(u.monthly_usd)}
                      </td>
                      <td>
                        <button type="button" onClick={() => setEditing(u.user_id)}>
                          Edit
                        </button>{' '}
                        <button
                          type="button"
                          onClick={() => setUser.mutate({ user_id: u.user_id, daily_usd: null, monthly_usd: null })}
                        >
                          Remove
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <form className="form-row" onSubmit={saveUser} aria-label="Set a user's limits" key={editing ?? 'new'}>
                <label>
                  User id <input name="user_id" required defaultValue={editing ?? ''} />
                </label>
                <label>
                  Daily (USD) <input name="daily_usd" type="number" min="0" step="0.01" />
                </label>
                <label>
                  Monthly (USD) <input name="monthly_usd" type="number" min="0" step="0.01" />
                </label>
                <button type="submit" className="primary" disabled={setUser.isPending}>
                  Save override
                </button>
              </form>
              {setUser.isError && (
                <p role="alert" className="error-text">
                  {setUser.error.message}
                </p>
              )}
            </section>
          </>
        )}
      </QueryView>
    </div>
  );
}
