import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { SpendLimit } from '../index';
import { SpendMeterView } from './spend-meter';

const NOW = Date.parse('2026-12-04T20:00:00Z');
const status = (daily: number, over: Partial<SpendLimit> = {}): SpendLimit => ({
  user_id: 42,
  within_limits: daily < 5,
  daily_spend: daily,
  daily_limit: 5,
  daily_remaining: Math.max(0, 5 - daily),
  daily_percent_used: Math.round((daily / 5) * 10_000) / 100,
  monthly_spend: daily,
  monthly_limit: 1000,
  monthly_remaining: 1000 - daily,
  monthly_percent_used: Math.round((daily / 1000) * 10_000) / 100,
  limit_status: daily >= 5 ? 'exceeded' : daily >= 4 ? 'warning' : 'ok',
  warning_message: null,
  blocked: daily >= 5,
  blocked_reason: daily >= 5 ? 'user_daily' : null,
  daily_reserved: 0,
  monthly_reserved: 0,
  user_monthly_limit: null,
  system_monthly_spend: daily,
  system_monthly_limit: 1000,
  system_percent_used: 0,
  daily_resets_at: '2026-12-05T00:00:00.000Z',
  monthly_resets_at: '2027-01-01T00:00:00.000Z',
  ...over,
});

const render = (s: SpendLimit) => renderToStaticMarkup(<SpendMeterView status={s} now={NOW} />);

describe('<SpendMeter /> states', () => {
  it('ok: green, percentage used, when the day resets', () => {
    const html = render(status(1.25));
    expect(html).toContain('data-status="ok"');
    expect(html).toContain('data-level="ok"');
    expect(html).toContain('$1.25</span> of $5.00');
    expect(html).toContain('25% used');
    expect(html).toContain('resets in 4 h 0 min');
    expect(html).not.toContain('role="alert"');
  });

  it('warning at 80 %: amber, with the message as a status', () => {
    const html = render(status(4.2, { warning_message: 'You have used 84% of your daily AI spend limit' }));
    expect(html).toContain('data-status="warning"');
    expect(html).toContain('data-level="warning"');
    expect(html).toContain('84% warning');
    expect(html).toContain('role="status"');
  });

  it('exceeded: red and the blocked message as an alert', () => {
    const html = render(status(5, { warning_message: 'Daily spend limit exceeded: $5.00 of $5.00 used today.' }));
    expect(html).toContain('data-blocked="true"');
    expect(html).toContain('data-level="exceeded"');
    expect(html).toContain('100% exceeded');
    expect(html).toMatch(/role="alert"[^>]*>Daily spend limit exceeded/);
  });

  it('shows reserved (in-flight) spend and exposes the value to assistive tech', () => {
    const html = render(status(1, { daily_reserved: 0.5 }));
    expect(html).toContain('(+$0.5000 in flight)');
    expect(render(status(0.000008))).toContain('$0.000008</span>');
    expect(html).toContain('role="meter"');
    expect(html).toContain('aria-valuenow="1"');
  });
});
