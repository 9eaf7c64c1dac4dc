import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves the built SPA: real files as they are, any other GET path as index.html (client routing). */
export function createStaticHandler(root: string | undefined) {
  const dir = root ? resolve(root) : undefined;
  const index = dir ? join(dir, 'index.html') : undefined;
  const available = !!index && existsSync(index);

  return function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
    if (!available || !dir || !index || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return false;
    }
    let file = normalize(join(dir, decoded));
    if (!file.startsWith(dir + sep) && file !== dir) return false; // path traversal
    if (!existsSync(file) || !statSync(file).isFile()) file = index;
    const immutable = file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
    return true;
  };
}
