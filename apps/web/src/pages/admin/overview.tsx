import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { color, TimeChart } from '../../components/chart';
import { PeriodPicker, Stat } from '../../components/period';
import { QueryView } from '../../components/states';
import { ms, num, pct, usd } from '../../format';
import { useTRPC } from '../../trpc';

export function Overview() {
  const trpc = useTRPC();
  const [days, setDays] = useState(14);
  const system = useQuery(trpc.analytics.system.queryOptions({ days }, { refetchInterval: 30_000 }));
  const latency = useQuery(trpc.analytics.latency.queryOptions({ days }));
  return (
    <div className="page">
      <div className="page-head">
        <h1>Overview</h1>
        <PeriodPicker days={days} onChange={setDays} />
      </div>
      <QueryView query={system}>
        {(s) => (
          <>
            <div className="stats">
              <Stat label="Cost" value={usd(s.total_cost_usd)} />
              <Stat label="Requests" value={num(s.total_requests)} />
              <Stat
                label="Tokens"
                value={num(s.total_tokens)}
                hint={`${num(s.prompt_tokens)} in · ${num(s.completion_tokens)} out`}
              />
              <Stat label="Error rate" value={pct(s.error_rate)} hint={`${num(s.error_count)} errors`} />
              <Stat label="Avg cost / request" value={usd(s.avg_cost_per_request)} />
              <Stat label="Latency p50 / p95" value={`${ms(s.latency_ms.p50)} / ${ms(s.latency_ms.p95)}`} />
            </div>
            <DailyCharts daily={s.daily} />
          </>
        )}
      </QueryView>
      <section className="card">
        <h2>Latency</h2>
        <QueryView query={latency}>
          {(l) => (
            <div className="grid-2">
              <LatencyChart daily={l.daily} />
              <div className="table-wrap">
                <table>
                  <caption>Per provider</caption>
                  <thead>
                    <tr>
                      <th scope="col">Provider</th>
                      <th scope="col" className="num">
                        p50
                      </th>
                      <th scope="col" className="num">
                        p95
                      </th>
                      <th scope="col" className="num">
                        p99
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      <th scope="row">All</th>
                      <td className="num">{ms(l.overall.p50)}</td>
                      <td className="num">{ms(l.overall.p95)}</td>
                      <td className="num">{ms(l.overall.p99)}</td>
                    </tr>
                    {l.providers.map((p) => (
                      <tr key={p.provider}>
                        <th scope="row">{p.provider}</th>
                        <td className="num">{ms(p.p50)}</td>
                        <td className="num">{ms(p.p95)}</td>
                        <td className="num">{ms(p.p99)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          )}
        </QueryView>
      </section>
    </div>
  );
}

type Day = {
  date: string;
  cost_usd: number;
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
};

function DailyCharts({ daily }: { daily: Day[] }) {
  const dates = useMemo(() => daily.map((d) => d.date), [daily]);
  const cost = useMemo(
    () => [{ label: 'Cost', values: daily.map((d) => d.cost_usd), color: color(0), format: usd }],
    [daily],
  );
  const reqs = useMemo(
    () => [
      { label: 'Requests', values: daily.map((d) => d.requests), color: color(0), format: num },
      { label: 'Errors', values: daily.map((d) => d.errors), color: color(4), format: num },
    ],
    [daily],
  );
  const tokens = useMemo(
    () => [
      { label: 'Input', values: daily.map((d) => d.prompt_tokens), color: color(0), format: num },
      { label: 'Output', values: daily.map((d) => d.completion_tokens), color: color(1), format: num },
    ],
    [daily],
  );
  return (
    <section className="card grid-3">
      <TimeChart title="Cost per day" dates={dates} series={cost} bars />
      <TimeChart title="Requests and errors" dates={dates} series={reqs} />
      <TimeChart title="Tokens, input vs output" dates={dates} series={tokens} />
    </section>
  );
}

function LatencyChart({
  daily,
}: {
  daily: { date: string; p50: number | null; p95: number | null; p99: number | null }[];
}) {
  const dates = useMemo(() => daily.map((d) => d.date), [daily]);
  const series = useMemo(
    () => [
      { label: 'p50', values: daily.map((d) => d.p50), color: color(0), format: ms },
      { label: 'p95', values: daily.map((d) => d.p95), color: color(1), format: ms },
      { label: 'p99', values: daily.map((d) => d.p99), color: color(4), format: ms },
    ],
    [daily],
  );
  return <TimeChart title="Latency over time" dates={dates} series={series} />;
}
