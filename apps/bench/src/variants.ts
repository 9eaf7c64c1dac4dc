/**
 * What `pnpm bench:compare` loads, one argument each: the gateway as built (`gateway`), the
 * gateway with settings, node flags or another build, a baseline proxy (`sdk`, `bare`), or the
 * fake upstream itself (`direct`).
 *
 *   gateway                                  the repository's build, every feature on
 *   LANGSMITH_TRACING_ENABLED=false          a setting changed (several: comma-separated)
 *   --single-threaded-gc                     a flag for node (before the bundle)
 *   build=/tmp/before/main.js                another build of the server (e.g. the previous commit's)
 *   sdk  /  bare,--cpu-prof                  a baseline proxy, optionally with node flags
 *   direct                                   straight to the fake upstream: the latency floor
 */
import { settingOf } from './gateway-settings';

export interface Variant {
  /** The argument as given: how results name it. */
  label: string;
  target: 'gateway' | 'sdk' | 'bare' | 'direct';
  /** The server bundle; null for the baselines. */
  main: string | null;
  env: Record<string, string>;
  nodeArgs: string[];
}

export function parseVariant(spec: string, defaultMain: string): Variant {
  const items = spec
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const first = items[0];
  const target = first === 'sdk' || first === 'bare' || first === 'direct' ? first : 'gateway';
  if (target === 'direct' && items.length > 1) {
    throw new Error(`variant "${spec}": direct runs no process of its own, so it takes nothing more`);
  }
  const variant: Variant = {
    label: spec,
    target,
    main: target === 'gateway' ? defaultMain : null,
    env: {},
    nodeArgs: [],
  };
  for (const [i, item] of items.entries()) {
    if (i === 0 && (item === 'sdk' || item === 'bare' || item === 'direct' || item === 'gateway')) continue;
    if (item.startsWith('--')) {
      variant.nodeArgs.push(item);
      continue;
    }
    if (target !== 'gateway') {
      throw new Error(`variant "${spec}": a baseline takes node flags only, not "${item}"`);
    }
    const setting = settingOf(item);
    if (item.startsWith('build=')) {
      variant.main = item.slice('build='.length);
      if (!variant.main) throw new Error(`variant "${spec}": build= needs the path of a server bundle`);
    } else if (setting) {
      variant.env[setting[0]] = setting[1];
    } else {
      throw new Error(
        `variant "${spec}": "${item}" is none of NAME=value (a server setting), --flag (for node), build=path, gateway, sdk, bare, direct`,
      );
    }
  }
  return variant;
}

/**
 * Why these variants cannot be compared as asked, or null. The baselines proxy JSON only, so a
 * streamed run compares gateways against the upstream itself; and a gateway's bundle must be typed
 * as an ES module (see bundle-type.ts).
 */
export function variantsProblem(
  variants: Variant[],
  stream: boolean,
  bundleProblem: (main: string) => string | null,
): string | null {
  for (const v of variants) {
    if (stream && (v.target === 'sdk' || v.target === 'bare')) {
      return `variant "${v.label}": BENCH_STREAM=1 compares gateway variants and direct only`;
    }
    const problem = v.main && bundleProblem(v.main);
    if (problem) return `variant "${v.label}": ${problem}`;
  }
  return null;
}
