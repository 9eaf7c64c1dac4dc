import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/**
 * A `fetch` for the provider SDKs over node:http with keep-alive agents. On the hot path the
 * global (undici) fetch costs several times the CPU of a plain node:http request per call
 * (measured by `pnpm bench`), so the SDKs get this one. It covers what the SDKs use: string or
 * byte bodies, AbortSignal, streamed responses; anything else goes to the global fetch.
 */
export function createUpstreamFetch(options: { maxSocketsPerHost?: number } = {}): typeof fetch {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSocketsPerHost ?? 512, scheduling: 'lifo' as const };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };

  const upstreamFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (input instanceof Request || !isSimpleBody(init.body)) return fetch(input, init);
    const url = input instanceof URL ? input : new URL(input);
    const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
    if (!transport) return fetch(input, init);
    const { signal } = init;
    if (signal?.aborted) return Promise.reject(abortError(signal));

    return new Promise<Response>((resolve, reject) => {
      let response: http.IncomingMessage | null = null;
      const req = transport.request(
        url,
        {
          method: init.method ?? 'GET',
          headers: headerRecord(init.headers),
          agent: agents[url.protocol as 'http:' | 'https:'],
        },
        (res) => {
          response = res;
          res.once('close', () => signal?.removeEventListener('abort', onAbort));
          const headers = new Headers();
          const raw = res.rawHeaders;
          for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
          const status = res.statusCode ?? 502;
          const empty = status === 204 || status === 304 || init.method === 'HEAD';
          if (empty) res.resume();
          resolve(
            new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
              status,
              statusText: res.statusMessage ?? '',
              headers,
            }),
          );
        },
      );
      // Before the answer the request fails; after it, the body stream does, as with fetch.
      const onAbort = () => (response ?? req).destroy(abortError(signal as AbortSignal));
      signal?.addEventListener('abort', onAbort, { once: true });
      req.once('error', (error) =>
        reject(signal?.aborted ? abortError(signal) : new TypeError('fetch failed', { cause: error })),
      );
      req.end(init.body ?? undefined);
    });
  };
  return upstreamFetch as typeof fetch;
}

function isSimpleBody(body: RequestInit['body']): body is string | Uint8Array | null | undefined {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return headers as Record<string, string>;
}

/** What fetch rejects with on abort: the signal's reason when it is an AbortError, else a fresh one. */
function abortError(signal: AbortSignal): Error {
  const reason = signal.reason as unknown;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('This operation was aborted', 'AbortError');
}
