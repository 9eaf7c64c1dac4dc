// The fake upstream in its own process, so its CPU is not counted as the gateway's.
import { startFakeUpstream } from '@tollgate/test-tools';

const fake = await startFakeUpstream({
  port: Number(process.argv[2] ?? 0),
  latencyMs: Number(process.argv[3] ?? 0),
  recordLimit: 0,
});
process.stdout.write(`${fake.url}\n`);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
