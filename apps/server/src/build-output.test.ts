import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const serverDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

describe('the production build', () => {
  it('loads as ES modules from any folder, without Node guessing the module type', () => {
    // Built outside the repository, as a deployment copies dist/: no package.json above it.
    const out = mkdtempSync(join(tmpdir(), 'tollgate-dist-'));
    try {
      const build = spawnSync(process.execPath, ['build.mjs', out], { cwd: serverDir, encoding: 'utf8' });
      expect(build.status, build.stderr).toBe(0);
      // Node 20.18 has no syntax detection, and under 20.19+'s the gateway ran slower (README,
      // Performance): only the build's own package.json may say these files are modules. A bad
      // setting makes the server stop at its configuration check, which it reaches only once loaded.
      const run = spawnSync(process.execPath, ['--no-experimental-detect-module', join(out, 'main.js')], {
        cwd: out,
        env: { PORT: 'not-a-port' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.stderr).not.toMatch(/Cannot use import statement|To load an ES module/);
      expect(run.stderr).toMatch(/Invalid configuration:\s+- PORT/);
      expect(run.status).toBe(1);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
