// The fake LangSmith in its own process, so its CPU is counted neither as the gateway's nor
// as the load generator's.
import { startFakeLangSmith } from '@tollgate/test-tools';

const fake = await startFakeLangSmith({
  apiKey: process.argv[3] ?? 'lsv2_bench_key_00000',
  port: Number(process.argv[2] ?? 0),
  record: false,
});
process.stdout.write(`${fake.url}\n`);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
