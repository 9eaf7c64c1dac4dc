/**
 * An autocannon run that also keeps every 2xx response's own time. autocannon's percentiles come
 * from a histogram whose smallest unit is a millisecond, so a difference of two of them is off by
 * up to a millisecond either way: too coarse for an added-latency target of 1 ms.
 */
import autocannon from 'autocannon';
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
