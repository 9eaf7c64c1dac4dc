import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { QueryView } from '../../components/states';
import { when } from '../../format';
import { useTRPC } from '../../trpc';

export function Pricing() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.admin.pricing.list.queryOptions());
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.admin.pricing.list.queryKey() });
  const set = useMutation(trpc.admin.pricing.set.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.admin.pricing.remove.mutationOptions({ onSuccess: refresh }));
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    const opt = (k: string) => (String(d.get(k) ?? '') === '' ? null : Number(d.get(k)));
    set.mutate({
      provider: String(d.get('provider')) as 'openai' | 'azure' | 'anthropic',
      model: String(d.get('model')),
      input_per_mtok_usd: Number(d.get('input')),
      output_per_mtok_usd: Number(d.get('output')),
      cache_read_per_mtok_usd: opt('cache_read'),
      cache_write_per_mtok_usd: opt('cache_write'),
    });
  };
  return (
    <div className="page">
      <h1>Pricing overrides</h1>
      <p className="muted">
        Prices come from the bundled genai-prices catalog; an override wins for its provider and model. Prices are USD
        per million tokens.
      </p>
      <section className="card">
        <QueryView
          query={list}
          empty={(l) => l.overrides.length === 0}
          emptyText="No overrides: every price comes from the catalog."
        >
          {(l) => (
            <table>
              <thead>
                <tr>
                  <th scope="col">Provider / model</th>
                  <th scope="col" className="num">
                    Input
                  </th>
                  <th scope="col" className="num">
                    Output
                  </th>
                  <th scope="col" className="num">
                    Cache read
                  </th>
                  <th scope="col" className="num">
                    Cache write
                  </th>
                  <th scope="col">Updated</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {l.overrides.map((o) => (
                  <tr key={o.id}>
                    <th scope="row">
                      {o.provider}/{o.model}
                    </th>
                    <td className="num">${o.input_per_mtok_usd}</td>
                    <td className="num">${o.output_per_mtok_usd}</td>
                    <td className="num">{o.cache_read_per_mtok_usd ?? '—'}</td>
                    <td className="num">{o.cache_write_per_mtok_usd ?? '—'}</td>
                    <td>{when(o.updated_at)}</td>
                    <td>
                      <button type="button" onClick={() => remove.mutate({ id: o.id })}>
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryView>
      </section>
      <form className="card form-row" onSubmit={submit} aria-label="Set a price override">
        <label>
          Provider
          <select name="provider">
            <option>openai</option>
            <option>azure</option>
            <option>anthropic</option>
          </select>
        </label>
        <label>
          Model <input name="model" required />
        </label>
        <label>
          Input $/Mtok <input name="input" type="number" min="0" step="0.001" required />
        </label>
        <label>
          Output $/Mtok <input name="output" type="number" min="0" step="0.001" required />
        </label>
        <label>
          Cache read <input name="cache_read" type="number" min="0" step="0.001" />
        </label>
        <label>
          Cache write <input name="cache_write" type="number" min="0" step="0.001" />
        </label>
        <button type="submit" className="primary" disabled={set.isPending}>
          Save price
        </button>
        {set.isError && (
          <p role="alert" className="error-text">
            {set.error.message}
          </p>
        )}
      </form>
    </div>
  );
}
