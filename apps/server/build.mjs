// Bundles the server and CLI into self-contained files in dist/ (or the folder given, as tests do):
// the workspace packages and their npm dependencies are inlined, so `node dist/main.js` needs
// nothing else resolved at run time.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const outdir = process.argv[2] ?? 'dist';

await build({
  entryPoints: ['src/main.ts', 'src/cli.ts'],
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);",
  },
});

// The bundles are ES modules in .js files: this tells Node so wherever dist/ is copied. Without it
// Node 20.18 refuses them, and 20.19+ loads them through its module-syntax detection, under which the
// gateway measured ~10 % more CPU per request and twice the helper-thread work (README, Performance).
writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
