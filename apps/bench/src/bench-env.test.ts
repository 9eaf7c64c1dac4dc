import { describe, expect, it } from 'vitest';
import { onOff, wholeNumber, wholeNumbers } from './bench-env';

describe('BENCH_* numbers', () => {
  it('read the value, or the default when unset or empty', () => {
    expect(wholeNumber({}, 'BENCH_DURATION', 5, 1)).toBe(5);
    expect(wholeNumber({ BENCH_DURATION: '' }, 'BENCH_DURATION', 5, 1)).toBe(5);
    expect(wholeNumber({ BENCH_DURATION: '12' }, 'BENCH_DURATION', 5, 1)).toBe(12);
    expect(wholeNumbers({ BENCH_CONNECTIONS: '1, 16,64' }, 'BENCH_CONNECTIONS', [16], 1)).toEqual([1, 16, 64]);
    expect(wholeNumbers({}, 'BENCH_LATENCIES', [0, 50], 0)).toEqual([0, 50]);
  });

  it('refuse anything else, naming the setting', () => {
    const bad: [Record<string, string>, string][] = [
      [{ BENCH_DURATION: 'abc' }, 'BENCH_DURATION'],
      [{ BENCH_DURATION: '2.5' }, 'BENCH_DURATION'],
      [{ BENCH_DURATION: '0' }, 'BENCH_DURATION'],
      [{ BENCH_DURATION: '3,4' }, 'BENCH_DURATION'],
      [{ BENCH_CONNECTIONS: '16,' }, 'BENCH_CONNECTIONS'],
      [{ BENCH_CONNECTIONS: '-1' }, 'BENCH_CONNECTIONS'],
    ];
    for (const [env, name] of bad) {
      expect(() =>
        name === 'BENCH_DURATION' ? wholeNumber(env, name, 5, 1) : wholeNumbers(env, name, [16], 1),
      ).toThrow(new RegExp(`^${name}: "`));
    }
  });
});

describe('BENCH_* switches', () => {
  it('are on for 1, off for 0, unset or empty, and refuse anything else', () => {
    expect(onOff({ BENCH_STREAM: '1' }, 'BENCH_STREAM')).toBe(true);
    expect(onOff({ BENCH_STREAM: '0' }, 'BENCH_STREAM')).toBe(false);
    expect(onOff({ BENCH_STREAM: '' }, 'BENCH_STREAM')).toBe(false);
    expect(onOff({}, 'BENCH_STREAM')).toBe(false);
    for (const raw of ['true', 'yes', '2', ' 1']) {
      expect(() => onOff({ BENCH_STREAM: raw }, 'BENCH_STREAM')).toThrow(/^BENCH_STREAM: "/);
    }
  });
});
