import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { QueryView } from '../../components/states';
import { ms, num, pct, usd } from '../../format';
import { useTRPC } from '../../trpc';

type Unit = 'percent' | 'ms' | 'usd' | 'count';

const at = (epochMs: number | null) => (epochMs === null ? '—' : new Date(epochMs).toLocaleString());
const value = (v: number, unit: Unit) =>
  unit === 'usd' ? usd(v) : unit === 'percent' ? pct(v) : unit === 'ms' ? ms(v) : num(v);

/** Labels of the rule parameters an admin may edit. */
const PARAM_LABELS: Record<string, string> = {
  percent: 'Threshold (%)',
  ms: 'Threshold (ms)',
  usd: 'Threshold (USD per day)',
  window_minutes: 'Window (minutes)',
  min_requests: 'Fewest calls',
  factor: 'Times the usual',
  min_usd: 'At least (USD)',
  consecutive: 'Consecutive failures',
};

function StateBadge({ state }: { state: 'firing' | 'resolved' }) {
  return <span className={`badge ${state === 'firing' ? 'badge-error' : 'badge-success'}`}>{state}</span>;
}

export function Alerts() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.admin.alerts.list.queryOptions(undefined, { refetchInterval: 30_000 }));
  const history = useQuery(trpc.admin.alerts.history.queryOptions({ limit: 100 }));
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.admin.alerts.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.admin.alerts.history.queryKey() });
  };
  const evaluate = useMutation(trpc.admin.alerts.evaluate.mutationOptions({ onSuccess: refresh }));
  const test = useMutation(trpc.admin.alerts.testWebhooks.mutationOptions());
  const setRule = useMutation(trpc.admin.alerts.setRule.mutationOptions({ onSuccess: refresh }));
  const resetRule = useMutation(trpc.admin.alerts.resetRule.mutationOptions({ onSuccess: refresh }));

  const save = (id: string, params: string[]) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const change: Record<string, unknown> = { rule: id, enabled: form.get('enabled') === 'on' };
    for (const p of params) {
      const raw = String(form.get(p) ?? '').trim();
      if (raw !== '') change[p] = Number(raw);
    }
    setRule.mutate(change as never);
  };

  return (
    <div className="page">
      <h1>Alerts</h1>
      <QueryView query={list}>
        {(l) => (
          <>
            <section className="card" aria-labelledby="active-title">
              <div className="card-head">
                <h2 id="active-title">
                  Firing now <span className={`badge ${l.firing ? 'badge-error' : 'badge-success'}`}>{l.firing}</span>
                </h2>
                <div className="actions">
                  <button type="button" onClick={() => evaluate.mutate()} disabled={evaluate.isPending}>
                    {evaluate.isPending ? 'Evaluating…' : 'Evaluate now'}
                  </button>
                  <button
                    type="button"
                    onClick={() => test.mutate()}
                    disabled={test.isPending || l.webhooks.length === 0}
                    title={l.webhooks.length === 0 ? 'No webhooks are configured' : undefined}
                  >
                    Send test notification
                  </button>
                </div>
              </div>
              {test.data && (
                <p role="status">
                  Test notification accepted by {test.data.delivered} of {test.data.webhooks.length} webhooks.
                </p>
              )}
              {evaluate.data && !evaluate.data.evaluated && (
                <p role="status">Another instance is evaluating right now; showing the last results.</p>
              )}
              {l.alerts.filter((a) => a.state === 'firing').length === 0 ? (
                <p className="muted">Nothing is firing.</p>
              ) : (
                <ul className="alert-list">
                  {l.alerts
                    .filter((a) => a.state === 'firing')
                    .map((a) => (
                      <li key={`${a.rule}|${a.subject}`}>
                        <StateBadge state={a.state} /> <strong>{a.rule}</strong> <span>{a.subject}</span>
                        <div>{a.message}</div>
                        <div className="muted">
                          since {at(a.since)} · value {value(a.value, a.unit)} · threshold {value(a.threshold, a.unit)}
                          {a.notified ? ' · notified' : ' · not notified (cooldown or no webhook)'}
                        </div>
                      </li>
                    ))}
                </ul>
              )}
              <p className="muted">
                Webhooks:{' '}
                {l.webhooks.length === 0
                  ? 'none configured (ALERT_WEBHOOK_URLS, ALERT_SLACK_WEBHOOK_URLS)'
                  : l.webhooks.map((w) => `${w.host} (${w.format})`).join(', ')}
              </p>
            </section>

            <section className="card" aria-labelledby="rules-title">
              <h2 id="rules-title">Rules</h2>
              {l.rules.map((rule) => {
                const params = Object.keys(rule).filter((k) => k in PARAM_LABELS);
                const values = rule as unknown as Record<string, number | boolean | string>;
                return (
                  <form
                    key={rule.id}
                    className="rule-form"
                    onSubmit={save(rule.id, params)}
                    aria-label={`Rule ${rule.id}`}
                  >
                    <h3>{rule.id}</h3>
                    <p className="muted">{rule.description}</p>
                    <label className="inline">
                      <input type="checkbox" name="enabled" defaultChecked={rule.enabled} /> Enabled
                    </label>
                    {params.map((p) => (
                      <label key={p}>
                        {PARAM_LABELS[p]}
                        <input name={p} type="number" min="0" step="any" defaultValue={String(values[p])} />
                      </label>
                    ))}
                    <div className="actions">
                      <button type="submit" disabled={setRule.isPending}>
                        Save
                      </button>
                      <button type="button" className="link" onClick={() => resetRule.mutate({ rule: rule.id })}>
                        Back to configured values
                      </button>
                    </div>
                  </form>
                );
              })}
              {setRule.isError && (
                <p className="state-error" role="alert">
                  {setRule.error.message}
                </p>
              )}
            </section>
          </>
        )}
      </QueryView>

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <QueryView query={history} empty={(h) => h.history.length === 0} emptyText="No alert has fired yet.">
          {(h) => (
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Subject</th>
                  <th scope="col">State</th>
                  <th scope="col">Message</th>
                  <th scope="col">Notified</th>
                </tr>
              </thead>
              <tbody>
                {h.history.map((e) => (
                  <tr key={`${e.at}-${e.rule}-${e.subject}-${e.state}`}>
                    <td>{at(e.at)}</td>
                    <td>{e.rule}</td>
                    <td>{e.subject}</td>
                    <td>
                      <StateBadge state={e.state} />
                    </td>
                    <td>{e.message}</td>
                    <td>{e.notified ? 'yes' : 'no'}</td>
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
