import type { Readable } from 'node:stream';

/** What undici's dispatcher answers a request with: a Node stream with fetch's body mixins. */
export interface DispatcherBody extends Readable {
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
  blob(): Promise<Blob>;
  dump(options?: { limit: number }): Promise<void>;
  readonly bodyUsed: boolean;
}

/** Response headers, read-only, with the lookups of fetch's `Headers` (names lower-case, in arrival order). */
export class UpstreamHeaders {
  readonly #fields: Record<string, string | string[] | undefined>;

  constructor(fields: Record<string, string | string[] | undefined>) {
    this.#fields = fields;
  }

  get(name: string): string | null {
    const key = name.toLowerCase();
    // Own fields only: a name like `constructor` must not read the object's prototype.
    const value = Object.hasOwn(this.#fields, key) ? this.#fields[key] : undefined;
    if (value === undefined) return null;
    return typeof value === 'string' ? value : value.join(', ');
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  getSetCookie(): string[] {
    const value = Object.hasOwn(this.#fields, 'set-cookie') ? this.#fields['set-cookie'] : undefined;
    return value === undefined ? [] : typeof value === 'string' ? [value] : value.slice();
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.#fields)) {
      const value = this.get(name);
      if (value !== null) yield [name, value];
    }
  }

  keys(): IterableIterator<string> {
    return Object.keys(this.#fields)[Symbol.iterator]();
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(callback: (value: string, name: string, headers: UpstreamHeaders) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/**
 * The body as the SDKs read a stream: an async iterable of byte chunks (`for await`, and
 * `return()` to cancel it). Failures surface as fetch's do: the abort reason on abort, else a
 * TypeError.
 */
class UpstreamBody implements AsyncIterable<Uint8Array> {
  constructor(
    private readonly stream: DispatcherBody,
    private readonly asFetchError: (error: unknown) => unknown,
  ) {}

  get locked(): boolean {
    return this.stream.bodyUsed;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    const chunks = this.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const asFetchError = this.asFetchError;
    const read = () =>
      chunks.next().catch((error: unknown) => {
        throw asFetchError(error);
      });
    return {
      next: read,
      // Ending the iteration early destroys the stream, which releases the connection.
      return: async () => (chunks.return ? chunks.return() : { done: true, value: undefined }),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  async cancel(): Promise<void> {
    this.stream.destroy();
  }
}

/**
 * The part of fetch's `Response` that the provider SDKs and the trace exporter read: status,
 * headers, `json()`/`text()`/`arrayBuffer()`, and the body as an async iterable for streams. It
 * wraps undici's dispatcher answer directly: building a WHATWG `Response` and a web stream per
 * call cost more CPU than the rest of the SDK's work together (`pnpm bench`).
 */
export class UpstreamResponse {
  readonly type = 'basic';
  readonly redirected = false;
  readonly #stream: DispatcherBody | null;
  readonly #body: UpstreamBody | null;
  readonly #asFetchError: (error: unknown) => unknown;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: UpstreamHeaders,
    stream: DispatcherBody | null,
    asFetchError: (error: unknown) => unknown,
  ) {
    this.#stream = stream;
    this.#body = stream && new UpstreamBody(stream, asFetchError);
    this.#asFetchError = asFetchError;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get body(): AsyncIterable<Uint8Array> | null {
    return this.#body;
  }

  get bodyUsed(): boolean {
    return this.#stream?.bodyUsed ?? false;
  }

  text(): Promise<string> {
    return this.#read((s) => s.text(), '');
  }

  json(): Promise<unknown> {
    // An empty body is a JSON syntax error under fetch too.
    return this.#read(
      (s) => s.json(),
      undefined,
      () => JSON.parse(''),
    );
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#read((s) => s.arrayBuffer(), new ArrayBuffer(0));
  }

  bytes(): Promise<Uint8Array> {
    return this.#read((s) => s.bytes(), new Uint8Array(0));
  }

  blob(): Promise<Blob> {
    return this.#read((s) => s.blob(), new Blob([]));
  }

  clone(): never {
    throw new TypeError('UpstreamResponse cannot be cloned: read its body once');
  }

  async #read<T>(read: (s: DispatcherBody) => Promise<T>, empty: T, onEmpty?: () => T): Promise<T> {
    if (!this.#stream) return onEmpty ? onEmpty() : empty;
    try {
      return await read(this.#stream);
    } catch (error) {
      throw this.#asFetchError(error);
    }
  }
}
