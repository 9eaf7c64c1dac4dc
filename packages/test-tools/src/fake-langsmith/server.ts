import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { createFakeHub, type HubCommit } from './hub';

/** A run as LangSmith receives it (creates and updates merged by id). */
export interface RecordedRun {
  id: string;
  trace_id?: string;
  parent_run_id?: string | null;
  dotted_order?: string;
  name?: string;
  run_type?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  error?: string | null;
  tags?: string[];
  session_name?: string;
  extra?: { metadata?: Record<string, unknown> } & Record<string, unknown>;
  start_time?: string | number;
  end_time?: string | number;
  [k: string]: unknown;
}

export type LangSmithFault = 'none' | 'hang' | 'error' | 'reset';

export interface FakeLangSmith {
  url: string;
  /** Every run received, merged by id. */
  runs(filter?: { trace_id?: string }): RecordedRun[];
  /** Raw request bodies, for secret scans. */
  bodies: string[];
  /** Fault for ingest requests (`/runs/*`); `scope: 'all'` also affects /info and sessions. */
  setFault(fault: LangSmithFault, scope?: 'ingest' | 'all'): void;
  requestCount(): number;
  /** Prompt-hub commits of a prompt, newest first. */
  hubCommits(name: string): HubCommit[];
  reset(): void;
  close(): Promise<void>;
}

/**
 * A local LangSmith that records the runs it receives. `/info` selects the plain JSON
 * `/runs/batch` path; `/api/v2/sessions` and `/sessions` check the API key, for health checks.
 */
export async function startFakeLangSmith(
  options: {
    apiKey?: string;
    port?: number;
    /** Keep the runs and bodies received (false for benchmarks: they are parsed, then dropped). */
    record?: boolean;
  } = {},
): Promise<FakeLangSmith> {
  const record = options.record ?? true;
  const runs = new Map<string, RecordedRun>();
  const bodies: string[] = [];
  let fault: LangSmithFault = 'none';
  let faultScope: 'ingest' | 'all' = 'ingest';
  let requests = 0;
  const hung = new Set<ServerResponse>();
  const hub = createFakeHub();

  const merge = (run: RecordedRun) => {
    if (!record) return;
    const existing = runs.get(run.id);
    runs.set(run.id, existing ? { ...existing, ...run, extra: { ...existing.extra, ...run.extra } } : run);
  };

  const server = createServer(async (req, res) => {
    requests++;
    const url = new URL(req.url ?? '/', 'http://fake');
    const ingest = url.pathname.startsWith('/runs');
    if (fault !== 'none' && (ingest || faultScope === 'all')) {
      if (fault === 'hang') {
        hung.add(res);
        res.once('close', () => hung.delete(res));
        return;
      }
      if (fault === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"detail":"fake outage"}');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let raw = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
    const authed = !options.apiKey || req.headers['x-api-key'] === options.apiKey;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };

    if (req.method === 'GET' && url.pathname === '/info') {
      return json(200, {
        version: '0.0.0-fake',
        batch_ingest_config: { use_multipart_endpoint: false, size_limit: 100, size_limit_bytes: 20_971_520 },
        instance_flags: { gzip_body_enabled: false, zstd_compression_enabled: false },
      });
    }
    if (url.pathname === '/api/v2/sessions' || url.pathname === '/sessions' || url.pathname === '/api/v1/sessions') {
      if (!authed) return json(401, { detail: 'Invalid token' });
      return json(200, url.pathname === '/api/v2/sessions' ? { items: [], cursors: {} } : []);
    }
    if (req.method === 'POST' && url.pathname === '/runs/batch') {
      if (!authed) return json(401, { detail: 'Invalid token' });
      const text = raw.toString('utf8');
      if (record) bodies.push(text);
      const body = JSON.parse(text) as { post?: RecordedRun[]; patch?: RecordedRun[] };
      for (const r of [...(body.post ?? []), ...(body.patch ?? [])]) merge(r);
      return json(202, {});
    }
    if (req.method === 'POST' && url.pathname === '/runs') {
      if (!authed) return json(401, { detail: 'Invalid token' });
      bodies.push(raw.toString('utf8'));
      merge(JSON.parse(raw.toString('utf8')) as RecordedRun);
      return json(202, {});
    }
    const patch = /^\/runs\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'PATCH' && patch) {
      if (!authed) return json(401, { detail: 'Invalid token' });
      bodies.push(raw.toString('utf8'));
      merge({ ...(JSON.parse(raw.toString('utf8')) as RecordedRun), id: patch[1] as string });
      return json(202, {});
    }
    if (!authed && !ingest) return json(401, { detail: 'Invalid token' });
    if (hub.handle(req.method ?? 'GET', url, raw.toString('utf8'), json)) return;
    json(404, { detail: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    runs: (filter = {}) => [...runs.values()].filter((r) => !filter.trace_id || r.trace_id === filter.trace_id),
    bodies,
    setFault: (f, scope = 'ingest') => {
      fault = f;
      faultScope = scope;
      if (f === 'none') for (const r of hung) r.destroy();
    },
    requestCount: () => requests,
    hubCommits: (name) => hub.commits(name),
    reset: () => {
      hub.reset();
      runs.clear();
      bodies.length = 0;
      requests = 0;
    },
    close: async () => {
      for (const r of hung) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
