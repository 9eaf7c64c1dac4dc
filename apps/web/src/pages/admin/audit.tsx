import { useQuery } from '@tanstack/react-query';
import { QueryView } from '../../components/states';
import { num, usd, when } from '../../format';
import { useTRPC } from '../../trpc';

export function Audit() {
  const trpc = useTRPC();
  const resets = useQuery(trpc.admin.resetAudit.queryOptions({ limit: 200 }));
  return (
    <div className="page">
      <h1>Reset audit log</h1>
      <section className="card">
        <QueryView query={resets} empty={(r) => r.resets.length === 0} emptyText="No spend has been reset.">
          {(r) => (
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">User</th>
                  <th scope="col">By</th>
                  <th scope="col" className="num">
                    Day's spend before
                  </th>
                  <th scope="col" className="num">
                    Month's spend before
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.resets.map((row) => (
                  <tr key={`${row.at}-${row.user_id}`}>
                    <td>{when(row.at)}</td>
                    <td>{row.user_id}</td>
                    <td>{row.by}</td>
                    <td className="num">{usd(row.previous_daily_spend)}</td>
                    <td className="num">{usd(row.previous_monthly_spend)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryView>
      </section>
    </div>
  );
}

export function Health() {
  const trpc = useTRPC();
  const health = useQuery(trpc.admin.langsmithHealth.queryOptions(undefined, { refetchInterval: 30_000 }));
  return (
    <div className="page">
      <h1>LangSmith</h1>
      <section className="card">
        <QueryView query={health}>
          {(h) => (
            <dl className="facts">
              <dt>Tracing</dt>
              <dd>{h.enabled ? 'enabled' : 'disabled'}</dd>
              <dt>Connection</dt>
              <dd>
                <span className={`badge ${h.connected ? 'badge-success' : 'badge-error'}`}>
                  {h.connected ? 'connected' : 'not connected'}
                </span>
                {h.error && <span className="muted"> {h.error}</span>}
              </dd>
              <dt>Project</dt>
              <dd>{h.project || '—'}</dd>
              <dt>Endpoint</dt>
              <dd>
                <code>{h.endpoint || '—'}</code>
              </dd>
              <dt>Traces dropped during outages</dt>
              <dd>{num(h.dropped_traces)}</dd>
              <dt>Failed uploads</dt>
              <dd>{num(h.failed_uploads)}</dd>
            </dl>
          )}
        </QueryView>
      </section>
    </div>
  );
}
