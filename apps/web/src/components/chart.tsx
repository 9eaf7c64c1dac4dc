import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  /** Formats axis and legend values. */
  format?: (v: number) => string;
}

const PALETTE = ['#0b5cad', '#b35900', '#1a7f37', '#8250df', '#c62828', '#0a7c86', '#6e7781', '#bf3989'];
export const color = (i: number) => PALETTE[i % PALETTE.length] as string;

/**
 * A daily time-series chart on uPlot (~45 KB, fast with many points). It resizes with its box
 * and shows a legend with values for the hovered day.
 */
export function TimeChart(props: {
  title: string;
  dates: string[];
  series: ChartSeries[];
  height?: number;
  bars?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = props.dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const fmt = props.series[0]?.format ?? ((v: number) => String(v));
    const plot = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: props.height ?? 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { x: { time: true } },
        axes: [{ stroke: '#57606a' }, { stroke: '#57606a', size: 90, values: (_u, vals) => vals.map((v) => fmt(v)) }],
        series: [
          { value: (_u, v) => (v === null ? '' : new Date(v * 1000).toISOString().slice(0, 10)) },
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            fill: props.bars ? `${s.color}33` : undefined,
            width: 2,
            points: { show: props.dates.length < 20 },
            value: (_u: uPlot, v: number | null) => (v === null ? '—' : (s.format ?? fmt)(v)),
            ...(props.bars && { paths: uPlot.paths.bars?.({ size: [0.6, 40] }) }),
          })),
        ],
      },
      [xs, ...props.series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(280, el.clientWidth), height: props.height ?? 220 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.dates, props.series, props.height, props.bars]);
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} role="img" aria-label={`${props.title} chart`} />
    </figure>
  );
}
