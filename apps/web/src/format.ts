export const usd = (n: number | null | undefined) =>
  n === null || n === undefined
    ? '—'
    : n === 0
      ? '$0'
      : n < 0.01
        ? `$${n.toFixed(6)}`
        : `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
export const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));
export const pct = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${n.toFixed(2)}%`);
export const ms = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`;
export const when = (iso: string) => new Date(iso).toLocaleString();
