import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { QueryView } from '../../components/states';
import { useTRPC } from '../../trpc';
import { RequestsTable } from '../requests-table';

interface Filters {
  user_id?: string;
  provider?: string;
  model?: string;
  status?: 'success' | 'error' | 'aborted';
  tag?: string;
  from?: string;
  to?: string;
}

export function Requests() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<Filters>({});
  const [cursor, setCursor] = useState(0);
  const health = useQuery(trpc.admin.langsmithHealth.queryOptions(undefined, { staleTime: 60_000 }));
  const recent = useQuery(
    trpc.analytics.recent.queryOptions({
      ...filters,
      ...(filters.from && { from: new Date(filters.from) }),
      ...(filters.to && { to: new Date(filters.to) }),
      cursor,
      limit: 50,
    }),
  );
  const template = health.data?.enabled ? health.data.trace_url_template : null;
  const traceUrl = template ? (id: string) => template.replace('{trace_id}', id) : null;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const next: Filters = {};
    for (const key of ['user_id', 'provider', 'model', 'status', 'tag', 'from', 'to'] as const) {
      const v = String(data.get(key) ?? '').trim();
      if (v) (next as Record<string, string>)[key] = v;
    }
    setCursor(0);
    setFilters(next);
  };

  return (
    <div className="page">
      <h1>Recent requests</h1>
      <form className="card filters" onSubmit={submit} aria-label="Filter requests">
        <label>
          User <input name="user_id" defaultValue={filters.user_id} />
        </label>
        <label>
          Provider
          <select name="provider" defaultValue={filters.provider ?? ''}>
            <option value="">any</option>
            <option>openai</option>
            <option>azure</option>
            <option>anthropic</option>
          </select>
        </label>
        <label>
          Model <input name="model" defaultValue={filters.model} />
        </label>
        <label>
          Status
          <select name="status" defaultValue={filters.status ?? ''}>
            <option value="">any</option>
            <option>success</option>
            <option>error</option>
            <option>aborted</option>
          </select>
        </label>
        <label>
          Tag <input name="tag" defaultValue={filters.tag} />
        </label>
        <label>
          From <input name="from" type="datetime-local" defaultValue={filters.from} />
        </label>
        <label>
          To <input name="to" type="datetime-local" defaultValue={filters.to} />
        </label>
        <button type="submit" className="primary">
          Apply
        </button>
      </form>
      <section className="card">
        <QueryView query={recent} empty={(r) => r.items.length === 0} emptyText="No requests match these filters.">
          {(r) => (
            <>
              <RequestsTable items={r.items} showUser traceUrl={traceUrl} />
              <div className="pager">
                <button type="button" disabled={cursor === 0} onClick={() => setCursor(0)}>
                  Newest
                </button>
                <button type="button" disabled={r.next_cursor === null} onClick={() => setCursor(r.next_cursor ?? 0)}>
                  Older
                </button>
              </div>
            </>
          )}
        </QueryView>
      </section>
    </div>
  );
}
