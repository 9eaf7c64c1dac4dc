import { LightAbortController, takesLightSignals } from '@tollgate/abort';
import type OpenAI from 'openai';

type RequestOptions = Parameters<OpenAI['buildRequest']>[0];
type BuiltRequest = Awaited<ReturnType<OpenAI['buildRequest']>>;
type FetchWithTimeout = OpenAI['fetchWithTimeout'];
// biome-ignore lint/suspicious/noExplicitAny: a mixin's base constructor must take any arguments (TS2545).
type OpenAIClass = new (...args: any[]) => OpenAI;

interface Prepared {
  url: string;
  /** Plain fields: the SDK's debug log and our fetch read them without a `Headers` walk. */
  headers: Record<string, string>;
  timeout: number;
}

/**
 * The OpenAI SDK rebuilds the same request headers (user agent, platform, auth, content type) on
 * every call through WHATWG `Headers`: that validated, lower-cased and sorted header set was more
 * than half the SDK's own CPU per call (38 → 16 µs per call measured in isolation). This subclass
 * builds a JSON call's headers and URL once per (method, path, model, retry count, timeout) with
 * the SDK's own code and reuses them.
 *
 * Calls that could make them differ go the SDK's way every time: per-call headers, query,
 * idempotency key or fetch options; a body that is not a plain object; an API key given as a
 * function (refreshed per call), workload identity or a provider (their auth is per call);
 * client-level fetch options. The model is part of the key because Azure puts the deployment in
 * the path.
 *
 * Such a call that does not stream also skips the SDK's per-call `AbortController` when the
 * client's fetch takes light signals (see `fetchWithTimeout`).
 */
export function withPreparedRequests<Base extends OpenAIClass>(base: Base) {
  class PreparedRequests extends base {
    readonly #prepared = new Map<string, Prepared>();
    /** The requests built here that `fetchWithTimeout` sends its own way. */
    readonly #light = new WeakSet<object>();

    override async buildRequest(options: RequestOptions, props: { retryCount?: number } = {}): Promise<BuiltRequest> {
      const body = options.body as Record<string, unknown> | null | undefined;
      if (
        options.headers ||
        options.query ||
        options.idempotencyKey ||
        options.fetchOptions ||
        this.fetchOptions ||
        typeof this._options.apiKey !== 'string' ||
        this._options.workloadIdentity ||
        this._options.provider ||
        !body ||
        Object.getPrototypeOf(body) !== Object.prototype
      ) {
        return super.buildRequest(options, props);
      }
      const key = `${options.method} ${options.path} ${String(body.model)} ${props.retryCount ?? 0} ${options.timeout}`;
      const ready = this.#prepared.get(key);
      if (!ready) {
        const built = await super.buildRequest(options, props);
        const headers: Record<string, string> = {};
        new Headers(built.req.headers).forEach((value, name) => {
          headers[name] = value;
        });
        if (this.#prepared.size >= 256) this.#prepared.clear();
        this.#prepared.set(
          key,
          Object.freeze({ url: built.url, headers: Object.freeze(headers), timeout: built.timeout }),
        );
        return built;
      }
      const req = {
        method: options.method,
        // Typed as `Headers`, which only the SDK's workload-identity auth (excluded above) writes
        // to; the debug log and fetch take plain fields.
        headers: ready.headers as unknown as Headers,
        ...(options.signal && { signal: options.signal }),
        body: JSON.stringify(body),
      };
      // A stream's controller also ends the stream when its reader stops: those keep the SDK's way.
      if (body.stream !== true && takesLightSignals(this._options.fetch)) this.#light.add(req);
      return { req, url: ready.url, timeout: ready.timeout };
    }

    /**
     * The SDK makes an `AbortController` per call for its timer and links the caller's signal to
     * it: a Node 20 `AbortSignal` and two listeners (a throwaway build without them read ~7 µs less
     * per request; see `@tollgate/abort`). A request built
     * above gets one `LightAbortSignal` for both instead, with the same outcome: the caller's abort
     * or the timer aborts the fetch with an AbortError, and the SDK tells a timeout from the
     * caller's abort by the caller's signal. As with the SDK's, the caller's abort still reaches
     * the body once the timer has stopped.
     */
    override async fetchWithTimeout(...args: Parameters<FetchWithTimeout>): ReturnType<FetchWithTimeout> {
      const [url, init, ms] = args;
      if (!init || !this.#light.has(init)) return super.fetchWithTimeout(...args);
      const call = new LightAbortController();
      init.signal?.addEventListener('abort', () => call.abort(), { once: true });
      const timer = setTimeout(() => call.abort(), ms);
      try {
        const fetch = this._options.fetch as typeof globalThis.fetch;
        // The fields buildRequest gave it, named (an object rest and spread cost ~1 µs here).
        return await fetch(url as string, {
          method: (init.method ?? 'GET').toUpperCase(),
          headers: init.headers,
          body: init.body,
          signal: call.signal,
        });
      } finally {
        clearTimeout(timer);
      }
    }
  }
  // The SDK names itself in the User-Agent after the client's class.
  Object.defineProperty(PreparedRequests, 'name', { value: base.name });
  return PreparedRequests;
}
