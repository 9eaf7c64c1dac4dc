import { describe, expect, it } from 'vitest';
import { parseVariant } from './variants';

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
});
