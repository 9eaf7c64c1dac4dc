import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PeriodPicker } from '../../components/period';
import { QueryView } from '../../components/states';
import { num, pct } from '../../format';
import { useTRPC } from '../../trpc';

type Row = {
  name: string;
  total_requests: number;
  error_count: number;
  error_rate: number;
  aborted_count: number;
  errors_by_class: Record<string, number>;
};

function ErrorTable({ caption, rows }: { caption: string; rows: Row[] }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col" className="num">
            Requests
          </th>
          <th scope="col" className="num">
            Errors
          </th>
          <th scope="col" className="num">
            Error rate
          </th>
          <th scope="col" className="num">
            Client aborts
          </th>
          <th scope="col">By class</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name}>
            <th scope="row">{r.name}</th>
            <td className="num">{num(r.total_requests)}</td>
            <td className="num">{num(r.error_count)}</td>
            <td className={`num ${r.error_rate > 5 ? 'bad' : ''}`}>{pct(r.error_rate)}</td>
            <td className="num">{num(r.aborted_count)}</td>
            <td>
              {Object.entries(r.errors_by_class)
                .map(([k, v]) => `${k.replace('provider_', '')} ×${v}`)
                .join(', ') || '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Errors() {
  const trpc = useTRPC();
  const [days, setDays] = useState(7);
  const errors = useQuery(trpc.analytics.errors.queryOptions({ days }));
  return (
    <div className="page">
      <div className="page-head">
        <h1>Errors</h1>
        <PeriodPicker days={days} onChange={setDays} />
      </div>
      <QueryView query={errors} empty={(e) => e.providers.length === 0} emptyText="No calls in this period.">
        {(e) => (
          <div className="grid-2">
            <section className="card table-wrap">
              <ErrorTable caption="By provider" rows={e.providers} />
            </section>
            <section className="card table-wrap">
              <ErrorTable caption="By entry point" rows={e.entry_points} />
            </section>
          </div>
        )}
      </QueryView>
    </div>
  );
}
