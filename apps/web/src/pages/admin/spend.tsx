import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { PeriodPicker } from '../../components/period';
import { QueryView } from '../../components/states';
import { num, pct, usd } from '../../format';
import { useTRPC } from '../../trpc';

export function Spend() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [days, setDays] = useState(30);
  const users = useQuery(trpc.analytics.topUsers.queryOptions({ days, limit: 20 }));
  const models = useQuery(trpc.analytics.models.queryOptions({ days }));
  const system = useQuery(trpc.analytics.system.queryOptions({ days }));
  const [confirming, setConfirming] = useState<string | null>(null);
  const reset = useMutation(
    trpc.admin.resetUserSpend.mutationOptions({
      onSuccess: () => {
        setConfirming(null);
        void queryClient.invalidateQueries();
      },
    }),
  );
  return (
    <div className="page">
      <div className="page-head">
        <h1>Spend</h1>
        <PeriodPicker days={days} onChange={setDays} />
      </div>
      <section className="card">
        <h2>Top spenders</h2>
        <QueryView query={users} empty={(u) => u.users.length === 0} emptyText="No usage in this period.">
          {(u) => (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col" className="num">
                      Cost
                    </th>
                    <th scope="col" className="num">
                      Requests
                    </th>
                    <th scope="col" className="num">
                      Tokens
                    </th>
                    <th scope="col" className="num">
                      Errors
                    </th>
                    <th scope="col">Today's spend</th>
                  </tr>
                </thead>
                <tbody>
                  {u.users.map((row) => (
                    <tr key={row.user_id}>
                      <th scope="row">{row.user_id}</th>
                      <td className="num">{usd(row.total_cost_usd)}</td>
                      <td className="num">{num(row.total_requests)}</td>
                      <td className="num">{num(row.total_tokens)}</td>
                      <td className="num">{pct(row.error_rate)}</td>
                      <td>
                        {confirming === row.user_id ? (
                          <fieldset className="confirm">
                            <legend className="sr-only">Confirm reset for {row.user_id}</legend>
                            Reset today's and this month's spend of {row.user_id}?{' '}
                            <button
                              type="button"
                              className="danger"
                              onClick={() => reset.mutate({ user_id: row.user_id })}
                              disabled={reset.isPending}
                            >
                              Yes, reset
                            </button>{' '}
                            <button type="button" onClick={() => setConfirming(null)}>
                              Cancel
                            </button>
                          </fieldset>
                        ) : (
                          <button type="button" onClick={() => setConfirming(row.user_id)}>
                            Reset spend…
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {reset.isError && (
                <p role="alert" className="error-text">
                  {reset.error.message}
                </p>
              )}
              {reset.data && (
                <p role="status" className="ok-text">
                  Reset {String(reset.data.user_id)}: was {usd(reset.data.previous.previous_daily_spend)} today.
                </p>
              )}
            </div>
          )}
        </QueryView>
      </section>
      <div className="grid-2">
        <section className="card">
          <h2>Per provider</h2>
          <QueryView query={system} empty={(s) => Object.keys(s.providers).length === 0}>
            {(s) => (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Provider</th>
                    <th scope="col" className="num">
                      Cost
                    </th>
                    <th scope="col" className="num">
                      Requests
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(s.providers).map(([name, p]) => (
                    <tr key={name}>
                      <th scope="row">{name}</th>
                      <td className="num">{usd(p.cost)}</td>
                      <td className="num">{num(p.requests)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </QueryView>
        </section>
        <section className="card">
          <h2>Per model</h2>
          <QueryView query={models} empty={(m) => m.models.length === 0}>
            {(m) => (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    <th scope="col" className="num">
                      Cost
                    </th>
                    <th scope="col" className="num">
                      Requests
                    </th>
                    <th scope="col" className="num">
                      In / out tokens
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {m.models.map((row) => (
                    <tr key={`${row.provider}/${row.model}`}>
                      <th scope="row">
                        <span className="muted">{row.provider}/</span>
                        {row.model}
                      </th>
                      <td className="num">{usd(row.total_cost_usd)}</td>
                      <td className="num">{num(row.total_requests)}</td>
                      <td className="num">
                        {num(row.prompt_tokens)} / {num(row.completion_tokens)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </QueryView>
        </section>
      </div>
    </div>
  );
}
