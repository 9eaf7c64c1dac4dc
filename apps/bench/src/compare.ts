/**
 * `pnpm bench:compare VARIANT...`: two or more gateway builds, settings or node flags (or the
 * baseline proxies) under the same load, in alternating rounds, with the median of each. On a
 * shared machine one five-second run drifts by ±10 %; alternating rounds share that drift, so a
 * few µs per request can be told apart. See `variants.ts` for what a variant may say.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPrivateRedis } from '@tollgate/test-tools';
import { onOff, wholeNumber } from './bench-env';
import { bodyNote, completionBodies } from './bodies';
import { bundleTypeProblem } from './bundle-type';
import { startBaseline, startLangSmith, startUpstream } from './fixtures';
import { startGateway } from './gateway';
import { load, warmUp, warmupRequests } from './load';
import { cpuMicros, cpuSplit, ioCalls, mainThreadCpu, stop } from './proc';
import { median } from './stats';
import { parseVariant, type Variant, variantsProblem } from './variants';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');

/** The run's shape, from the environment (see the README). */
function readSettings() {
  const route = process.env.BENCH_ROUTE || 'v1';
  if (route !== 'v1' && route !== 'rest') throw new Error(`BENCH_ROUTE: "${route}" is neither v1 nor rest`);
  return {
    rounds: wholeNumber(process.env, 'BENCH_ROUNDS', 3, 1),
    duration: wholeNumber(process.env, 'BENCH_DURATION', 5, 1),
    connections: wholeNumber(process.env, 'BENCH_CONNECTIONS', 16, 1),
    latency: wholeNumber(process.env, 'BENCH_LATENCY', 0, 0),
    warmup: warmupRequests(process.env),
    route: route as 'v1' | 'rest',
    stream: onOff(process.env, 'BENCH_STREAM'),
    bodies: completionBodies(process.env),
  };
}

type Settings = ReturnType<typeof readSettings>;

/** One variant's figures in one round, per request unless named otherwise. */
interface Sample {
  round: number;
  requestsPerSec: number;
  cpuUs: number;
  userUs: number;
  systemUs: number;
  /** V8's helper threads and libuv's pool. */
  helpersUs: number;
  writes: number;
  reads: number;
  /** The fakes' CPU per request: what the load cost the machine's other tenants. */
  langsmithUs: number;
  upstreamUs: number;
  /** The private Redis: the spend scripts and usage recording the gateway runs there. */
  redisUs: number;
  /** Exact response times, ms (not per request). */
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

async function main(): Promise<void> {
  const settings = readSettings();
  const { rounds, duration, connections, latency, route, stream, bodies } = settings;
  const serverBundle = join(root, 'apps/server/dist/main.js');
  const variants = process.argv.slice(2).map((spec) => parseVariant(spec, serverBundle));
  const problem = variantsProblem(variants, stream, (main) => bundleTypeProblem(main));
  if (problem) throw new Error(problem);
  if (variants.length === 0) {
    throw new Error(
      'name the variants to compare, e.g. pnpm bench:compare gateway LANGSMITH_TRACING_ENABLED=false sdk',
    );
  }
  const redis = await startPrivateRedis();
  const langsmith = await startLangSmith();
  const upstream = await startUpstream(latency);
  const samples = new Map<Variant, Sample[]>(variants.map((v) => [v, []]));
  process.stdout.write(
    `${variants.length} variants, ${rounds} rounds of ${duration} s, ${connections} connections, ${route}${stream ? ' streamed' : ''}, ${latency} ms upstream${bodyNote(bodies)}\n`,
  );
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const [index, variant] of variants.entries()) {
        const sample = await measure(settings, variant, round, index, redis, langsmith, upstream);
        samples.get(variant)?.push(sample);
        process.stdout.write(`round ${round}  ${line(variant.label, sample)}\n`);
      }
    }
  } finally {
    await stop(upstream.child);
    await stop(langsmith.child);
    await redis.stop();
  }
  const md = report(settings, samples);
  const out = join(here, '..', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'compare.md'), `${md}\n`);
  writeFileSync(
    join(out, 'compare.json'),
    JSON.stringify(
      {
        at: new Date().toISOString(),
        rounds,
        durationSec: duration,
        connections,
        route,
        stream,
        upstreamLatencyMs: latency,
        variants: variants.map((v) => ({ ...v, samples: samples.get(v) })),
      },
      null,
      2,
    ),
  );
  process.stdout.write(`\n${md}\n\nWritten to ${out}/compare.{json,md}\n`);
}

type Fixture = { child: { pid?: number | undefined } };

async function measure(
  { connections, duration, warmup, route, stream, bodies }: Settings,
  variant: Variant,
  round: number,
  index: number,
  redis: { url: string; pid: number },
  langsmith: Fixture & { url: string },
  upstream: Fixture & { url: string },
): Promise<Sample> {
  // The process under test; direct has none, so its CPU columns are the fake upstream's.
  let child: Parameters<typeof stop>[0] | null = null;
  let pid = upstream.child.pid as number;
  let url: string;
  let token: string | undefined;
  let body: Record<string, unknown> = bodies.chat;
  if (variant.target === 'gateway') {
    const gateway = await startGateway({
      main: variant.main as string,
      redisUrl: redis.url,
      // Each run starts from empty counters, whatever ran before it.
      keyPrefix: `compare${round}_${index}:`,
      upstreamUrl: upstream.url,
      langsmithUrl: langsmith.url,
      env: variant.env,
      nodeArgs: variant.nodeArgs,
    });
    child = gateway.child;
    token = gateway.key;
    url = route === 'rest' ? `${gateway.base}/api/v1/ai/complete/` : `${gateway.base}/v1/chat/completions`;
    if (route === 'rest') body = bodies.rest;
    if (stream) body = { ...body, stream: true };
  } else if (variant.target === 'direct') {
    url = `${upstream.url}/v1/chat/completions`;
    // What the gateway asks of the upstream for a stream: the usage chunk included.
    if (stream) body = { ...bodies.chat, stream: true, stream_options: { include_usage: true } };
  } else {
    const baseline = await startBaseline(
      variant.target === 'sdk' ? 'sdk-proxy.ts' : 'bare-proxy.ts',
      upstream.url,
      variant.nodeArgs,
    );
    child = baseline.child;
    url = baseline.url;
  }
  if (child) pid = child.pid as number;
  try {
    const request = {
      url,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    };
    await warmUp({ ...request, connections }, warmup);
    const before = readings(pid, langsmith, upstream, redis.pid);
    const { result, latency } = await load({ ...request, connections, duration });
    const after = readings(pid, langsmith, upstream, redis.pid);
    const n = Math.max(1, result.requests.total);
    const per = (key: keyof typeof before) => (after[key] - before[key]) / n;
    return {
      round,
      requestsPerSec: Math.round(result.requests.average),
      cpuUs: per('cpu'),
      userUs: per('user'),
      systemUs: per('system'),
      helpersUs: per('cpu') - per('main'),
      writes: per('writes'),
      reads: per('reads'),
      langsmithUs: per('langsmith'),
      upstreamUs: per('upstream'),
      redisUs: per('redis'),
      p50Ms: latency.p50,
      p99Ms: latency.p99,
      non2xx: result.non2xx,
    };
  } finally {
    if (child) await stop(child);
  }
}

function readings(pid: number, langsmith: Fixture, upstream: Fixture, redisPid: number) {
  const { user, system } = cpuSplit(pid);
  const { reads, writes } = ioCalls(pid);
  return {
    cpu: user + system,
    user,
    system,
    main: mainThreadCpu(pid),
    reads,
    writes,
    langsmith: cpuMicros(langsmith.child.pid as number),
    upstream: cpuMicros(upstream.child.pid as number),
    redis: cpuMicros(redisPid),
  };
}

const us = (v: number) => v.toFixed(0);
const calls = (v: number) => v.toFixed(2);
const ms = (v: number) => v.toFixed(2);

function line(label: string, s: Sample): string {
  return (
    `${label.padEnd(40)} ${String(s.requestsPerSec).padStart(6)} req/s  p50 ${s.p50Ms} p99 ${s.p99Ms} ms  cpu ${us(s.cpuUs)} µs ` +
    `(user ${us(s.userUs)}, system ${us(s.systemUs)}, helper threads ${us(s.helpersUs)})  ` +
    `writes ${calls(s.writes)} reads ${calls(s.reads)}  fakes: LangSmith ${us(s.langsmithUs)} µs, upstream ${us(s.upstreamUs)} µs, Redis ${us(s.redisUs)} µs ` +
    `(CPU ÷ upstream's ${calls(s.cpuUs / Math.max(1, s.upstreamUs))})` +
    (s.non2xx ? `  NON-2XX ${s.non2xx}` : '')
  );
}

function report(
  { rounds, duration, connections, latency, route, stream, bodies }: Settings,
  samples: Map<Variant, Sample[]>,
): string {
  const cell = (list: Sample[], pick: (s: Sample) => number, fmt: (v: number) => string) => {
    const values = list.map(pick);
    return `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`;
  };
  return [
    `# Tollgate bench:compare (${new Date().toISOString()})`,
    '',
    `${rounds} alternating rounds of ${duration} s each, ${connections} connections, ${route === 'rest' ? 'POST /api/v1/ai/complete/' : '/v1/chat/completions'} (the baselines: their own route)${stream ? ', streamed' : ''}, ${latency} ms upstream${bodyNote(bodies)}; median (min–max) per request.`,
    '',
    // The fake upstream does the same work for every request, so its CPU per request follows the
    // machine's speed: when the whole machine slows for a while, both figures rise together and the
    // ratio holds. It also falls a little as the load rises (more requests per wakeup), so compare
    // it between variants of similar req/s.
    'CPU ÷ fake upstream CPU: the CPU per request over the fake upstream’s in the same run, steadier than the CPU alone when the machine’s speed drifts within a round (for variants of similar req/s).',
    '',
    '| variant | req/s | p50 ms | p99 ms | CPU µs | user µs | system µs | helper threads µs | CPU ÷ fake upstream CPU | socket writes | reads | Redis µs | non-2xx |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...[...samples].map(
      ([v, list]) =>
        `| \`${v.label}\` | ${cell(list, (s) => s.requestsPerSec, us)} | ${cell(list, (s) => s.p50Ms, ms)} | ${cell(list, (s) => s.p99Ms, ms)} | ${cell(list, (s) => s.cpuUs, us)} | ${cell(list, (s) => s.userUs, us)} | ${cell(list, (s) => s.systemUs, us)} | ${cell(list, (s) => s.helpersUs, us)} | ${cell(list, (s) => s.cpuUs / Math.max(1, s.upstreamUs), calls)} | ${calls(median(list.map((s) => s.writes)))} | ${calls(median(list.map((s) => s.reads)))} | ${cell(list, (s) => s.redisUs, us)} | ${list.reduce((a, s) => a + s.non2xx, 0)} |`,
    ),
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:compare failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
