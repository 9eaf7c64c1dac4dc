/**
 * `pnpm bench`: the production build of the gateway on Redis with tracing on (to a fake
 * LangSmith), against the fake upstream, measured with autocannon. Direct-to-upstream runs are
 * the baseline; the ratio to them is the headline, since absolute figures vary by machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPrivateRedis } from '@tollgate/test-tools';
import { wholeNumber, wholeNumbers } from './bench-env';
import { bodyNote, completionBodies } from './bodies';
import { startBaseline, startLangSmith, startUpstream } from './fixtures';
import { startGateway } from './gateway';
import { gatewaySettings } from './gateway-settings';
import { headline, type Row } from './headline';
import { load, warmUp, warmupRequests } from './load';
import { cpuMicros, rssMb, stop } from './proc';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const DURATION = wholeNumber(process.env, 'BENCH_DURATION', 5, 1);
// Against a slow upstream a run sees few requests (16 connections at 50 ms: ~1,500 in 5 s, so its
// p99 is the 15th slowest); these runs last longer, for a p99 that one hiccup does not make.
const SLOW_DURATION = wholeNumber(process.env, 'BENCH_SLOW_DURATION', 10, 1);
const CONNECTIONS = wholeNumbers(process.env, 'BENCH_CONNECTIONS', [1, 16, 64], 1);
const LATENCIES = wholeNumbers(process.env, 'BENCH_LATENCIES', [0, 50], 0);
const WARMUP = warmupRequests(process.env);
const BODIES = completionBodies(process.env);
const CHAT = BODIES.chat;
// Gateway settings changed for this run (BENCH_GATEWAY_ENV); the results say so, since the targets
// speak of all features on.
const GATEWAY_ENV = gatewaySettings(process.env.BENCH_GATEWAY_ENV ?? '');

/** The request autocannon sends to a target. */
const request = (url: string, body: unknown, connections: number, token?: string) => ({
  url,
  method: 'POST' as const,
  connections,
  headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
  body: JSON.stringify(body),
});

async function main(): Promise<void> {
  const redis = await startPrivateRedis();
  const langsmith = await startLangSmith();
  const langsmithUrl = langsmith.url;
  const rows: Row[] = [];
  try {
    for (const latency of LATENCIES) {
      const upstream = await startUpstream(latency);
      const upstreamUrl = upstream.url;
      const gateway = await startGateway({
        main: join(root, 'apps/server/dist/main.js'),
        redisUrl: redis.url,
        keyPrefix: `bench${latency}:`,
        upstreamUrl,
        langsmithUrl,
        env: GATEWAY_ENV,
      });
      const { base, key } = gateway;
      const bare = await startBaseline('bare-proxy.ts', upstreamUrl);
      const sdk = await startBaseline('sdk-proxy.ts', upstreamUrl);

      for (const stream of [false, true]) {
        for (const connections of CONNECTIONS) {
          const targets = [
            {
              target: 'direct' as const,
              url: `${upstreamUrl}/v1/chat/completions`,
              body: { ...CHAT, stream, ...(stream && { stream_options: { include_usage: true } }) },
            },
            ...(stream
              ? []
              : [
                  { target: 'bare' as const, url: bare.url, body: CHAT, pid: bare.child.pid },
                  { target: 'sdk' as const, url: sdk.url, body: CHAT, pid: sdk.child.pid },
                ]),
            { target: 'v1' as const, url: `${base}/v1/chat/completions`, body: { ...CHAT, stream }, token: key },
            {
              target: 'rest' as const,
              url: `${base}/api/v1/ai/complete/`,
              body: { ...BODIES.rest, stream },
              token: key,
            },
          ];
          let direct: Row | null = null;
          for (const t of targets) {
            const token = 'token' in t ? t.token : undefined;
            // CPU is counted for the process under test: the gateway, or the baseline proxy of its row.
            const pid = ('pid' in t ? t.pid : gateway.child.pid) as number;
            await warmUp(request(t.url, t.body, connections, token), WARMUP).catch(() => null);
            const cpuBefore = cpuMicros(pid);
            const duration = latency > 0 ? SLOW_DURATION : DURATION;
            const { result: r, latency: exact } = await load({
              ...request(t.url, t.body, connections, token),
              duration,
            });
            const cpu = cpuMicros(pid) - cpuBefore;
            const viaGateway = t.target !== 'direct';
            const row: Row = {
              upstreamLatencyMs: latency,
              target: t.target,
              stream,
              connections,
              requestsPerSec: Math.round(r.requests.average),
              p50: exact.p50,
              p90: exact.p90,
              p99: exact.p99,
              errors: r.errors,
              non2xx: r.non2xx,
              gatewayCpuUsPerRequest: viaGateway && r.requests.total > 0 ? Math.round(cpu / r.requests.total) : null,
              gatewayRssMb: viaGateway ? rssMb(pid) : null,
              addedP50: direct && viaGateway ? Math.round((exact.p50 - direct.p50) * 100) / 100 : null,
              addedP99: direct && viaGateway ? Math.round((exact.p99 - direct.p99) * 100) / 100 : null,
            };
            if (t.target === 'direct') direct = row;
            rows.push(row);
            process.stdout.write(
              `${latency}ms ${stream ? 'stream' : 'json  '} c=${String(connections).padStart(2)} ${t.target.padEnd(6)} ${String(row.requestsPerSec).padStart(6)} req/s p50 ${row.p50} p99 ${row.p99}` +
                (row.gatewayCpuUsPerRequest !== null
                  ? ` cpu ${row.gatewayCpuUsPerRequest} µs/req rss ${row.gatewayRssMb} MB`
                  : '') +
                (row.non2xx ? ` non2xx ${row.non2xx}` : '') +
                '\n',
            );
          }
        }
      }
      await stop(gateway.child);
      await stop(bare.child);
      await stop(sdk.child);
      await stop(upstream.child);
    }
  } finally {
    await stop(langsmith.child);
    await redis.stop();
  }

  const out = join(here, '..', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'latest.json'),
    JSON.stringify(
      {
        at: new Date().toISOString(),
        durationSec: DURATION,
        slowUpstreamDurationSec: SLOW_DURATION,
        gatewayEnv: GATEWAY_ENV,
        systemPromptChars: BODIES.systemChars,
        replyTokens: BODIES.replyTokens,
        rows,
      },
      null,
      2,
    ),
  );
  const md = [
    `# Tollgate benchmark (${new Date().toISOString()}, ${DURATION} s per run, ${SLOW_DURATION} s against a slow upstream${bodyNote(BODIES)})`,
    '',
    ...headline(rows, GATEWAY_ENV),
    '',
    '| upstream | mode | conns | target | req/s | ratio to direct | p50 ms | p90 ms | p99 ms | added p50 | added p99 | gateway CPU µs/req | RSS MB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const direct = rows.find(
        (d) =>
          d.target === 'direct' &&
          d.stream === r.stream &&
          d.connections === r.connections &&
          d.upstreamLatencyMs === r.upstreamLatencyMs,
      );
      const ratio =
        direct && r.target !== 'direct' ? (r.requestsPerSec / Math.max(1, direct.requestsPerSec)).toFixed(2) : '';
      return `| ${r.upstreamLatencyMs} ms | ${r.stream ? 'stream' : 'json'} | ${r.connections} | ${r.target} | ${r.requestsPerSec} | ${ratio} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.addedP50 ?? ''} | ${r.addedP99 ?? ''} | ${r.gatewayCpuUsPerRequest ?? ''} | ${r.gatewayRssMb ?? ''} |`;
    }),
  ].join('\n');
  writeFileSync(join(out, 'latest.md'), `${md}\n`);
  process.stdout.write(`\n${md}\n\nWritten to ${out}/latest.{json,md}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
