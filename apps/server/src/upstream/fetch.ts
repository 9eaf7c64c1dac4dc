import { acceptsLightSignals } from '@tollgate/abort';
import { BoundedMemo } from '@tollgate/memo';
import { Agent } from 'undici';
import { type DispatcherBody, UpstreamHeaders, UpstreamResponse } from './response';

export interface UpstreamFetchOptions {
  /** Open connections per upstream origin (keep-alive, reused). */
  maxSocketsPerHost?: number;
  /** Longest silence between two pieces of a response body before it fails, ms (default 5 min; the server passes its provider and stream limits). */
  bodyIdleTimeoutMs?: number;
}

/**
 * A `fetch` for the provider SDKs and the trace exporter on undici's dispatcher API, with
 * keep-alive connection pools per origin. The global fetch builds a WHATWG `Response`, `Headers`
 * and web stream per call; on the hot path that cost several times the CPU of the request
 * itself, so this answers with an `UpstreamResponse` (what the SDKs read of a response) instead.
 *
 * It takes string or byte bodies (what the SDKs send for JSON) and honours an AbortSignal, or a
 * `LightAbortSignal` (undici and the global fetch read a signal by its shape), before and during
 * the answer; anything else (a `Request`, a stream or form body, a non-HTTP URL) goes to the
 * global fetch. It does not follow redirects: provider APIs answer directly. The wait for
 * response headers is left to the SDK's timeout (a long reasoning completion must not be cut at
 * undici's 300 s default); a body that goes silent fails after `bodyIdleTimeoutMs`, since the
 * SDKs stop their timer once headers arrive and a stalled JSON body would otherwise hang.
 */
export function createUpstreamFetch(options: UpstreamFetchOptions = {}): typeof fetch {
  const agent = new Agent({
    connections: options.maxSocketsPerHost ?? 512,
    pipelining: 1,
    headersTimeout: 0,
    bodyTimeout: options.bodyIdleTimeoutMs ?? 300_000,
  });
  // Parsed request URLs: the SDKs call the same few endpoints, so each is parsed once.
  const targets = new BoundedMemo<Target | null>(1_000);

  const upstreamFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (input instanceof Request || !isSimpleBody(init.body)) return fetch(input, init);
    const url = typeof input === 'string' ? input : input.href;
    const target = targets.get(url, parseTarget);
    if (!target) return fetch(input, init);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw abortError(signal);
    const method = init.method ?? 'GET';
    const asFetchError = (error: unknown) => fetchError(error, signal);

    let answer: Awaited<ReturnType<Agent['request']>>;
    try {
      answer = await agent.request({
        origin: target.origin,
        path: target.path,
        method: method as 'GET',
        headers: headerList(init.headers),
        body: init.body ?? null,
        ...(signal && { signal }),
      });
    } catch (error) {
      throw asFetchError(error);
    }
    const body = answer.body as unknown as DispatcherBody;
    const empty = answer.statusCode === 204 || answer.statusCode === 304 || method === 'HEAD';
    // An unread body holds its connection: drop the bytes of one that fetch would not expose.
    if (empty) body.dump().catch(() => {});
    return new UpstreamResponse(
      url,
      answer.statusCode,
      answer.statusText ?? '',
      new UpstreamHeaders(answer.headers),
      empty ? null : body,
      asFetchError,
    ) as unknown as Response;
  };
  return Object.assign(upstreamFetch, { [acceptsLightSignals]: true }) as typeof fetch;
}

interface Target {
  origin: string;
  path: string;
}

function parseTarget(url: string): Target | null {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

function isSimpleBody(body: RequestInit['body']): body is string | Uint8Array | null | undefined {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
}

/** Request headers as undici's flat name/value list (the SDKs pass a `Headers`). */
function headerList(headers: RequestInit['headers']): string[] {
  const list: string[] = [];
  if (!headers) return list;
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      list.push(name, value);
    });
  } else if (Array.isArray(headers)) {
    for (const [name, value] of headers) list.push(name as string, value as string);
  } else {
    for (const name of Object.keys(headers)) list.push(name, (headers as Record<string, string>)[name] as string);
  }
  return list;
}

/** What fetch fails with: the abort as an AbortError, a malformed body as itself, else a TypeError. */
function fetchError(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return abortError(signal);
  if (error instanceof SyntaxError || error instanceof TypeError) return error;
  return new TypeError('fetch failed', { cause: error });
}

/** What fetch rejects with on abort: the signal's reason when it is an AbortError, else a fresh one. */
function abortError(signal: AbortSignal): Error {
  const reason = signal.reason as unknown;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('This operation was aborted', 'AbortError');
}
