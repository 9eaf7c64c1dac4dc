/**
 * What `pnpm bench:compare` loads, one argument each: the gateway as built (`gateway`), the
 * gateway with settings, node flags or another build, or a baseline proxy (`sdk`, `bare`).
 *
 *   gateway                                  the repository's build, every feature on
 *   LANGSMITH_TRACING_ENABLED=false          a setting changed (several: comma-separated)
 *   --single-threaded-gc                     a flag for node (before the bundle)
 *   build=/tmp/before/main.js                another build of the server (e.g. the previous commit's)
 *   sdk  /  bare,--cpu-prof                  a baseline proxy, optionally with node flags
 */
import { settingOf } from './gateway-settings';

export interface Variant {
  /** The argument as given: how results name it. */
  label: string;
  target: 'gateway' | 'sdk' | 'bare';
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
  const target = first === 'sdk' || first === 'bare' ? first : 'gateway';
  const variant: Variant = {
    label: spec,
    target,
    main: target === 'gateway' ? defaultMain : null,
    env: {},
    nodeArgs: [],
  };
  for (const [i, item] of items.entries()) {
    if (i === 0 && (item === 'sdk' || item === 'bare' || item === 'gateway')) continue;
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
        `variant "${spec}": "${item}" is none of NAME=value (a server setting), --flag (for node), build=path, gateway, sdk, bare`,
      );
    }
  }
  return variant;
}
