/**
 * `pnpm bench:spend`: what a completion's spend scripts (one reserve, one settle) cost Redis. On
 * the bench's two cores Redis runs beside the gateway, so its CPU per completion is throughput
 * the gateway cannot have. Runs 16 concurrent reserve+settle loops against a private Redis and
 * prints Redis's CPU per pair and the commands the scripts ran inside it (`INFO commandstats`).
 */
import { createSpendLedger } from '@tollgate/spend';
import { createRedisStore } from '@tollgate/store';
import { startPrivateRedis } from '@tollgate/test-tools';
import type { Redis } from 'ioredis';
import { wholeNumber } from './bench-env';
import { cpuMicros } from './proc';

const CONCURRENCY = 16;
const PAIRS_PER_LOOP = wholeNumber(process.env, 'BENCH_SPEND_PAIRS', 1_500, 1);
const ROUNDS = wholeNumber(process.env, 'BENCH_ROUNDS', 3, 1);

const redis = await startPrivateRedis();
const store = createRedisStore({ url: redis.url, keyPrefix: 'bench:' });
try {
  await store.ping();
  const client = store.client as Redis;
  const ledger = createSpendLedger({
    store,
    limits: { userDailyMicros: 1e12, userMonthlyMicros: null, systemMonthlyMicros: 1e15 },
  });
  let seq = 0;
  const loop = async (pairs: number) => {
    for (let i = 0; i < pairs; i++) {
      const requestId = `bench-${seq++}`;
      const outcome = await ledger.reserve({ requestId, userId: 'bench', minMicros: 100, maxMicros: 5_000 });
      if (outcome.kind !== 'admitted') throw new Error(`reserve was ${outcome.kind}`);
      await ledger.settle(outcome.reservation, 1_234);
    }
  };
  const run = (pairs: number) => Promise.all(Array.from({ length: CONCURRENCY }, () => loop(pairs)));

  await run(200);
  for (let round = 1; round <= ROUNDS; round++) {
    await client.config('RESETSTAT');
    const before = cpuMicros(redis.pid);
    const started = performance.now();
    await run(PAIRS_PER_LOOP);
    const pairs = CONCURRENCY * PAIRS_PER_LOOP;
    const perSec = pairs / ((performance.now() - started) / 1000);
    const cpu = (cpuMicros(redis.pid) - before) / pairs;
    process.stdout.write(
      `round ${round}: Redis ${cpu.toFixed(1)} µs CPU per reserve+settle, ${perSec.toFixed(0)} pairs/s\n`,
    );
  }
  // Per pair, from the last round: how often each command ran and its own time (a script's
  // commands are counted inside it; EVALSHA's time includes them).
  const stats = (await client.info('commandstats')).split('\n').filter((l) => l.startsWith('cmdstat_'));
  const pairs = CONCURRENCY * PAIRS_PER_LOOP;
  for (const line of stats) {
    const match = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line);
    if (!match || match[1]?.startsWith('config')) continue;
    const [, name, calls, usec] = match;
    process.stdout.write(
      `  ${(name as string).padEnd(16)} ${(Number(calls) / pairs).toFixed(1).padStart(5)} calls  ${(Number(usec) / pairs).toFixed(2).padStart(6)} µs\n`,
    );
  }
} finally {
  await store.close();
  await redis.stop();
}
