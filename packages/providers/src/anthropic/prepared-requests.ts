import type Anthropic from '@anthropic-ai/sdk';

type RequestOptions = Parameters<Anthropic['buildRequest']>[0];
type BuiltRequest = Awaited<ReturnType<Anthropic['buildRequest']>>;
// biome-ignore lint/suspicious/noExplicitAny: a mixin's base constructor must take any arguments (TS2545).
type AnthropicClass = new (...args: any[]) => Anthropic;

/** What the SDK keeps of its credentials (TypeScript-private fields, read as the SDK reads them). */
interface AuthView {
  apiKey: string | null;
  authToken: string | null;
  _authState?: { resolution?: unknown; error?: unknown; tokenCache?: unknown; baseURL?: unknown };
}

/**
 * The headers of prepared requests: shared by every call of a kind, so they refuse changes. The
 * SDK and the gateway's fetch only read them (the SDK writes to a request's headers for token
 * auth and tracing, which go the SDK's way).
 */
function sharedHeaders(init: ConstructorParameters<typeof Headers>[0]): Headers {
  const headers = new Headers(init);
  const refuse = () => {
    throw new TypeError('prepared request headers are shared and cannot be changed');
  };
  for (const name of ['set', 'append', 'delete']) Object.defineProperty(headers, name, { value: refuse });
  return headers;
}

interface Prepared {
  url: string;
  headers: Headers;
  timeout: number;
}

/** The request options a prepared call may carry; any other (query, idempotency key, …) goes the SDK's way. */
const PREPARABLE = new Set([
  'method',
  'path',
  'body',
  'timeout',
  'headers',
  'stream',
  'signal',
  'maxRetries',
  '__span',
]);

/** `messages.create` always passes its per-call headers, built by the SDK: are they empty? */
function noHeaders(headers: unknown): boolean {
  if (headers === undefined || headers === null) return true;
  const built = headers as { values?: unknown; nulls?: unknown };
  return (
    built.values instanceof Headers &&
    built.nulls instanceof Set &&
    built.nulls.size === 0 &&
    built.values.keys().next().done === true
  );
}

/**
 * The Anthropic SDK builds every request's headers (user agent, platform, version, auth, content
 * type) through WHATWG `Headers`, merged and validated, and its URL: ~14 µs a call in isolation,
 * and the gateway's fetch then read them. As for OpenAI (`../openai/prepared-requests.ts`), this
 * subclass builds a JSON call's URL and headers once per (method, path, model, retry count,
 * timeout, base URL) with the SDK's own code and reuses them.
 *
 * Calls that could make them differ go the SDK's way every time: per-call headers (beyond the
 * empty set `messages.create` always passes), any request option but the plain ones, a body that
 * is not a plain object, a traced call; a client with no plain API key (an API-key function, an
 * auth token, a profile's credentials or token cache, resolved per call), fetch options or
 * middleware.
 */
export function withPreparedRequests<Base extends AnthropicClass>(base: Base) {
  class PreparedRequests extends base {
    readonly #prepared = new Map<string, Prepared>();

    override async buildRequest(options: RequestOptions, props: { retryCount?: number } = {}): Promise<BuiltRequest> {
      const body = options.body as Record<string, unknown> | null | undefined;
      const auth = this as unknown as AuthView;
      const state = auth._authState;
      if (
        !body ||
        Object.getPrototypeOf(body) !== Object.prototype ||
        !noHeaders(options.headers) ||
        (options as { __span?: unknown }).__span !== undefined ||
        Object.keys(options).some((name) => !PREPARABLE.has(name)) ||
        typeof auth.apiKey !== 'string' ||
        auth.authToken != null ||
        state?.resolution ||
        state?.error ||
        state?.tokenCache ||
        state?.baseURL ||
        this.fetchOptions ||
        this.middleware.length > 0 ||
        this.backendMiddleware().length > 0
      ) {
        return super.buildRequest(options, props);
      }
      const key = `${options.method} ${options.path} ${String(body.model)} ${props.retryCount ?? 0} ${options.timeout} ${this.baseURL}`;
      const ready = this.#prepared.get(key);
      if (!ready) {
        const built = await super.buildRequest(options, props);
        const headers = sharedHeaders(built.req.headers);
        if (this.#prepared.size >= 256) this.#prepared.clear();
        this.#prepared.set(key, Object.freeze({ url: built.url, headers, timeout: built.timeout }));
        return built;
      }
      const req = {
        method: options.method,
        headers: ready.headers,
        ...(options.signal && { signal: options.signal }),
        body: JSON.stringify(body),
      };
      return { req, url: ready.url, timeout: ready.timeout };
    }
  }
  // Unlike OpenAI's, this SDK's User-Agent does not take the client's class name, so the subclass
  // needs no renaming: the plain-SDK comparison test holds the headers equal.
  return PreparedRequests;
}
