/**
 * An autocannon run that also keeps every 2xx response's own time. autocannon's percentiles come
 * from a histogram whose smallest unit is a millisecond, so a difference of two of them is off by
 * up to a millisecond either way: too coarse for an added-latency target of 1 ms.
 */
import autocannon from 'autocannon';
import { wholeNumber } from './bench-env';
import { percentile } from './stats';

export interface Latency {
  /** Milliseconds, to two decimals. */
  p50: number;
  p90: number;
  p99: number;
}

export interface LoadResult {
  result: autocannon.Result;
  latency: Latency;
}

const ms = (v: number) => Math.round(v * 100) / 100;

export function load(options: autocannon.Options): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const instance = autocannon(options, (error, result) => {
      if (error) return reject(error);
      times.sort((a, b) => a - b);
      resolve({
        result,
        latency: { p50: ms(percentile(times, 50)), p90: ms(percentile(times, 90)), p99: ms(percentile(times, 99)) },
      });
    });
    instance.on('response', (_client, status, _bytes, responseTime) => {
      if (status >= 200 && status < 300) times.push(responseTime);
    });
  });
}

/**
 * Requests sent before a measured run (`BENCH_WARMUP_REQUESTS`): enough for V8 to have compiled the
 * hot path. After 2,000, a gateway at a 50 ms upstream still spent about twice the CPU per request
 * compiling, and added ~2 ms more, than after 10,000 (README, Performance).
 */
export const warmupRequests = (env: NodeJS.ProcessEnv) => wholeNumber(env, 'BENCH_WARMUP_REQUESTS', 10_000, 0);

/** The count is what matters, not the load; at 64 connections 10,000 take ~8 s at a 50 ms upstream. */
const WARMUP_CONNECTIONS = 64;

/** Warms the target of `options` (JIT, pools, caches) with `amount` requests; nothing is measured. */
export async function warmUp(options: autocannon.Options, amount: number): Promise<void> {
  if (amount <= 0) return;
  const connections = Math.max(options.connections ?? 1, WARMUP_CONNECTIONS);
  await load({ ...options, connections, amount });
}
