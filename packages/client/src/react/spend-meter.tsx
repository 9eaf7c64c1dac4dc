import type { CSSProperties } from 'react';
import type { SpendLimit } from '../index';
import { useSpendLimit } from './use-spend-limit';

type Level = 'ok' | 'warning' | 'exceeded';
const COLORS: Record<Level, string> = { ok: '#1a7f37', warning: '#b35900', exceeded: '#c62828' };

/** Small amounts keep their micro-dollars; large ones read as money. */
const usd = (n: number) => {
  if (n === 0) return '$0.00';
  if (n < 0.01) return `$${n.toFixed(6).replace(/0+$/, '')}`;
  return `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`;
};
const levelOf = (percent: number): Level => (percent >= 100 ? 'exceeded' : percent >= 80 ? 'warning' : 'ok');

function resetsIn(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (ms <= 0) return 'now';
  const h = Math.floor(ms / 3_600_000);
  if (h >= 48) return `in ${Math.round(h / 24)} days`;
  const m = Math.floor((ms % 3_600_000) / 60_000);
  return h > 0 ? `in ${h} h ${m} min` : `in ${m} min`;
}

function Bar(props: {
  label: string;
  spent: number;
  reserved: number;
  limit: number;
  percent: number;
  resetsAt: string;
  now: number;
}) {
  const level = levelOf(props.percent);
  const width = (v: number) => `${Math.min(100, props.limit > 0 ? (v / props.limit) * 100 : v > 0 ? 100 : 0)}%`;
  const track: CSSProperties = {
    position: 'relative',
    height: 12,
    borderRadius: 6,
    background: 'var(--tg-meter-track, #e6e8eb)',
    overflow: 'hidden',
  };
  return (
    <div className={`tg-meter-bar tg-meter-${level}`} data-level={level} style={{ marginBottom: 14 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 14, marginBottom: 4 }}>
        <strong>{props.label}</strong>
        <span>
          <span className="tg-meter-spent">{usd(props.spent)}</span> of {usd(props.limit)}
          {props.reserved > 0 && <span style={{ opacity: 0.75 }}> (+{usd(props.reserved)} in flight)</span>}
        </span>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: two layers (spent, reserved) need a styled bar; role="meter" keeps it accessible */}
      <div
        role="meter"
        aria-label={`${props.label} spend`}
        aria-valuemin={0}
        aria-valuemax={props.limit}
        aria-valuenow={props.spent}
        aria-valuetext={`${usd(props.spent)} of ${usd(props.limit)}, ${props.percent}%`}
        style={track}
      >
        <div
          style={{
            position: 'absolute',
            inset: 0,
            width: width(props.spent + props.reserved),
            background: COLORS[level],
            opacity: 0.35,
          }}
        />
        <div style={{ position: 'absolute', inset: 0, width: width(props.spent), background: COLORS[level] }} />
      </div>
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          fontSize: 12,
          marginTop: 3,
          color: 'var(--tg-muted, #57606a)',
        }}
      >
        <span style={{ color: COLORS[level], fontWeight: 600 }}>
          {props.percent}% {level === 'ok' ? 'used' : level}
        </span>
        <span>resets {resetsIn(props.resetsAt, props.now)}</span>
      </div>
    </div>
  );
}

export interface SpendMeterProps {
  /** A status to show; without it the meter loads the signed-in user's own. */
  status?: SpendLimit;
  /** Clock for "resets in …", injectable for tests. */
  now?: number;
  className?: string;
}

/** Presentational meter for a known status. */
export function SpendMeterView({
  status,
  now = Date.now(),
  className,
}: {
  status: SpendLimit;
  now?: number;
  className?: string;
}) {
  return (
    <section
      className={`tg-meter ${className ?? ''}`}
      data-status={status.limit_status}
      data-blocked={status.blocked}
      aria-label="AI spend"
      style={{ fontFamily: 'inherit' }}
    >
      <Bar
        label="Today"
        spent={status.daily_spend}
        reserved={status.daily_reserved}
        limit={status.daily_limit}
        percent={status.daily_percent_used}
        resetsAt={status.daily_resets_at}
        now={now}
      />
      <Bar
        label="This month"
        spent={status.monthly_spend}
        reserved={status.monthly_reserved}
        limit={status.monthly_limit}
        percent={status.monthly_percent_used}
        resetsAt={status.monthly_resets_at}
        now={now}
      />
      {status.warning_message && (
        <p
          role={status.blocked ? 'alert' : 'status'}
          className={status.blocked ? 'tg-meter-blocked' : 'tg-meter-warning'}
          style={{
            margin: 0,
            padding: '8px 10px',
            borderRadius: 6,
            fontSize: 14,
            background: status.blocked ? '#fdecea' : '#fff4e5',
            color: status.blocked ? '#8e1b1b' : '#7a3e00',
          }}
        >
          {status.warning_message}
        </p>
      )}
    </section>
  );
}

/** Drop-in meter: today and this month, warning at 80 %, blocked message when blocked. */
export function SpendMeter(props: SpendMeterProps) {
  const query = useSpendLimit({ enabled: !props.status });
  const status = props.status ?? query.data;
  if (!status) {
    return (
      <section className="tg-meter" aria-busy={query.isLoading} aria-label="AI spend">
        {query.isError ? (
          <p role="alert">Could not load your AI spend: {query.error.message}</p>
        ) : (
          <p>Loading spend…</p>
        )}
      </section>
    );
  }
  return (
    <SpendMeterView
      status={status}
      {...(props.now !== undefined && { now: props.now })}
      {...(props.className && { className: props.className })}
    />
  );
}
