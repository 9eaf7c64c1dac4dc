import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('@tollgate/client bundle', () => {
  it('carries no server code: only types come from the API', async () => {
    const result = await build({
      entryPoints: [new URL('./index.ts', import.meta.url).pathname],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    expect(code).toContain('createTRPCClient');
    for (const server of ['ioredis', 'createSpendLedger', 'langsmith', 'jose', 'tgSpendReserve', 'process.env']) {
      expect(code).not.toContain(server);
    }
    expect(code.length).toBeLessThan(150_000);
  });
});
