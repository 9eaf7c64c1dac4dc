import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Why a server bundle would not run as the repository's does, or null. The bundle is an ES module
 * in a `.js` file, so Node reads its type from the nearest package.json. A copy made with
 * `cp apps/server/dist/main.js /tmp/x/` has none: Node 20.19+ then loads it through module-syntax
 * detection, under which the same build took ~10 % more CPU per request and twice the helper-thread
 * work on the bench machine (README, Performance), and Node 20.18 refuses it. Comparing such a copy
 * with the repository's build measures that, not the change. The search stops at `top`, as Node's
 * stops at the filesystem's root; tests pass their own folder so no stray file above it counts.
 */
export function bundleTypeProblem(bundle: string, cwd = process.cwd(), top = '/'): string | null {
  if (bundle.endsWith('.mjs')) return null;
  // From the absolute path: a relative one's parents stop at `.`, whose package.json (the bench's
  // own) would answer for a bundle that lies elsewhere.
  for (let dir = dirname(resolve(cwd, bundle)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      let type: unknown;
      try {
        type = (JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown }).type;
      } catch {
        return `${file} is not valid JSON, so Node cannot tell that ${bundle} is an ES module`;
      }
      return type === 'module'
        ? null
        : `${file}, the nearest package.json to ${bundle}, does not say "type": "module"; copy the build's dist/package.json beside it`;
    }
    if (dir === resolve(top) || dirname(dir) === dir) {
      return `no package.json says that ${bundle} is an ES module; copy the build's dist/package.json beside it (cp -r apps/server/dist/. <dir>)`;
    }
  }
}
