import { useQuery } from '@tanstack/react-query';
import { SpendMeter } from '@tollgate/client/react';
import { useMemo, useState } from 'react';
import { color, TimeChart } from '../components/chart';
import { PeriodPicker, Stat } from '../components/period';
import { QueryView } from '../components/states';
import { ms, num, usd, when } from '../format';
import { useTRPC } from '../trpc';
import { RequestsTable } from './requests-table';

export function UserHome() {
  const trpc = useTRPC();
  const [days, setDays] = useState(14);
  const usage = useQuery(trpc.analytics.user.queryOptions({ days }));
  const recent = useQuery(trpc.analytics.recent.queryOptions({ limit: 20 }, { refetchInterval: 15_000 }));
  return (
    <div className="page">
      <section className="card">
        <h2>Your AI spend</h2>
        <SpendMeter />
      </section>
      <section className="card">
        <div className="card-head">
          <h2>Usage</h2>
          <PeriodPicker days={days} onChange={setDays} />
        </div>
        <QueryView query={usage}>{(u) => <UsageCharts data={u} />}</QueryView>
      </section>
      <section className="card">
        <h2>Your recent requests</h2>
        <QueryView query={recent} empty={(r) => r.items.length === 0} emptyText="No requests yet.">
          {(r) => <RequestsTable items={r.items} showUser={false} />}
        </QueryView>
      </section>
    </div>
  );
}

type UsageData = {
  total_cost_usd: number;
  total_requests: number;
  total_tokens: number;
  avg_latency_ms: number;
  daily: { date: string; cost_usd: number; prompt_tokens: number; completion_tokens: number; requests: number }[];
};

function UsageCharts({ data }: { data: UsageData }) {
  const dates = useMemo(() => data.daily.map((d) => d.date), [data]);
  const cost = useMemo(
    () => [{ label: 'Cost', values: data.daily.map((d) => d.cost_usd), color: color(0), format: usd }],
    [data],
  );
  const tokens = useMemo(
    () => [
      { label: 'Input tokens', values: data.daily.map((d) => d.prompt_tokens), color: color(0), format: num },
      { label: 'Output tokens', values: data.daily.map((d) => d.completion_tokens), color: color(1), format: num },
    ],
    [data],
  );
  return (
    <>
      <div className="stats">
        <Stat label="Cost" value={usd(data.total_cost_usd)} />
        <Stat label="Requests" value={num(data.total_requests)} />
        <Stat label="Tokens" value={num(data.total_tokens)} />
        <Stat label="Avg latency" value={ms(data.avg_latency_ms)} />
      </div>
      <div className="grid-2">
        <TimeChart title="Cost per day" dates={dates} series={cost} bars />
        <TimeChart title="Tokens per day, input vs output" dates={dates} series={tokens} />
      </div>
    </>
  );
}

export { when };
