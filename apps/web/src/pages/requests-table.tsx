import type { RouterOutputs } from '@tollgate/client';
import { ms, num, usd, when } from '../format';

/** One recent call, as `analytics.recent` returns it (the type comes from the API, not a copy). */
export type RequestRow = RouterOutputs['analytics']['recent']['items'][number];

export function RequestsTable({
  items,
  showUser,
  traceUrl,
}: {
  items: RequestRow[];
  showUser: boolean;
  traceUrl?: ((id: string) => string) | null;
}) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            {showUser && <th scope="col">User</th>}
            <th scope="col">Model</th>
            <th scope="col">Entry</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Tokens in / out
            </th>
            <th scope="col" className="num">
              Cost
            </th>
            <th scope="col" className="num">
              Latency
            </th>
            <th scope="col">Tags</th>
            {traceUrl && <th scope="col">Trace</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.request_id}>
              <td>{when(r.at)}</td>
              {showUser && <td>{r.user_id}</td>}
              <td>
                <span className="muted">{r.provider}/</span>
                {r.model}
              </td>
              <td>{r.entry_point}</td>
              <td>
                <span className={`badge badge-${r.status}`} title={r.error_class ?? undefined}>
                  {r.status}
                  {r.error_class ? `: ${r.error_class.replace('provider_', '')}` : ''}
                </span>
              </td>
              <td className="num">
                {num(r.prompt_tokens)} / {num(r.completion_tokens)}
              </td>
              <td className="num">
                {usd(r.cost_usd)}
                {r.estimated && <span title="estimated: the stream ended without usage or was aborted"> *</span>}
              </td>
              <td className="num">{ms(r.latency_ms)}</td>
              <td>{r.tags.join(', ')}</td>
              {traceUrl && (
                <td>
                  {r.trace_id ? (
                    <a href={traceUrl(r.trace_id)} target="_blank" rel="noreferrer">
                      Open
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
