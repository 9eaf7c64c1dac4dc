import { describe, expect, it } from 'vitest';
import { parseVariant, variantsProblem } from './variants';

const MAIN = '/repo/apps/server/dist/main.js';

describe('bench:compare variants', () => {
  it('reads the gateway as built, with settings, node flags or another build', () => {
    expect(parseVariant('gateway', MAIN)).toEqual({
      label: 'gateway',
      target: 'gateway',
      main: MAIN,
      env: {},
      nodeArgs: [],
    });
    expect(parseVariant('', MAIN)).toMatchObject({ target: 'gateway', main: MAIN, env: {}, nodeArgs: [] });
    expect(parseVariant('LANGSMITH_TRACING_ENABLED=false, METRICS_ENABLED=false', MAIN)).toMatchObject({
      target: 'gateway',
      env: { LANGSMITH_TRACING_ENABLED: 'false', METRICS_ENABLED: 'false' },
    });
    expect(parseVariant('build=/tmp/before/main.js,--single-threaded-gc,REDIS_KEY_PREFIX=a=b', MAIN)).toEqual({
      label: 'build=/tmp/before/main.js,--single-threaded-gc,REDIS_KEY_PREFIX=a=b',
      target: 'gateway',
      main: '/tmp/before/main.js',
      env: { REDIS_KEY_PREFIX: 'a=b' },
      nodeArgs: ['--single-threaded-gc'],
    });
  });

  it('reads the baselines, with node flags only', () => {
    expect(parseVariant('sdk', MAIN)).toEqual({ label: 'sdk', target: 'sdk', main: null, env: {}, nodeArgs: [] });
    expect(parseVariant('bare,--cpu-prof,--cpu-prof-dir=/tmp/p', MAIN)).toMatchObject({
      target: 'bare',
      nodeArgs: ['--cpu-prof', '--cpu-prof-dir=/tmp/p'],
    });
    expect(() => parseVariant('sdk,METRICS_ENABLED=false', MAIN)).toThrow(/a baseline takes node flags only/);
  });

  it('reads direct, which takes nothing more', () => {
    expect(parseVariant('direct', MAIN)).toEqual({
      label: 'direct',
      target: 'direct',
      main: null,
      env: {},
      nodeArgs: [],
    });
    expect(() => parseVariant('direct,--cpu-prof', MAIN)).toThrow(/direct runs no process of its own/);
  });

  it('refuses anything else, naming the item', () => {
    for (const bad of ['tracing=off', 'gateway,lower=1', 'build=', '9LIVES=1', 'sdk2']) {
      expect(() => parseVariant(bad, MAIN)).toThrow(/variant ".*": .*/);
    }
  });

  it('refuse the baselines in a streamed run, and a bundle the check finds untyped, naming the variant', () => {
    const typed = () => null;
    const all = ['gateway', 'direct', 'sdk', 'bare'].map((spec) => parseVariant(spec, MAIN));
    const streamable = all.slice(0, 2);
    expect(variantsProblem(all, false, typed)).toBeNull();
    expect(variantsProblem(streamable, true, typed)).toBeNull();
    expect(variantsProblem(all, true, typed)).toBe(
      'variant "sdk": BENCH_STREAM=1 compares gateway variants and direct only',
    );
    expect(variantsProblem([parseVariant('bare,--cpu-prof', MAIN)], true, typed)).toMatch(
      /^variant "bare,--cpu-prof": /,
    );
    const checked: string[] = [];
    const untyped = (main: string) => {
      checked.push(main);
      return main === '/tmp/x/main.js' ? 'no package.json says so' : null;
    };
    const builds = [
      parseVariant('gateway', MAIN),
      parseVariant('build=/tmp/x/main.js', MAIN),
      parseVariant('sdk', MAIN),
    ];
    expect(variantsProblem(builds, false, untyped)).toBe('variant "build=/tmp/x/main.js": no package.json says so');
    // Only gateways have a bundle to check.
    expect(checked).toEqual([MAIN, '/tmp/x/main.js']);
  });
});
