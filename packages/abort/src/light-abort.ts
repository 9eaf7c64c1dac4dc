/**
 * Cancellation for the completion hot path without Node 20's `AbortSignal`. Each of Node's costs
 * ~2 µs to make and ~1.5 µs per listener in isolation (it is an `EventTarget` given its prototype
 * after construction), more under load. A completion made two, linked: the client-gone signal and
 * the OpenAI SDK's per-call timeout signal. Light ones in their place took the gateway from
 * 241–259 to 227–232 µs per request (alternating builds; README, Performance).
 *
 * The signal does what the gateway, the provider SDKs and undici do with one: read `aborted` and
 * `reason`, `throwIfAborted()`, `onabort`, add and remove 'abort' listeners (with `once`); the
 * global `fetch` (undici) reads a signal by that shape too. It is not a Node `AbortSignal`, so APIs
 * that check the brand (`AbortSignal.any`, web streams' `pipeTo`) reject it.
 */

type Listener = Parameters<AbortSignal['addEventListener']>[1];
type ListenerOptions = Parameters<AbortSignal['addEventListener']>[2];
interface Entry {
  listener: Listener;
  once: boolean;
}

/** Marks a `fetch` that takes a `LightAbortSignal` as `init.signal`. */
export const acceptsLightSignals: unique symbol = Symbol.for('tollgate.abort.acceptsLightSignals');

export function takesLightSignals(fetch: unknown): boolean {
  return typeof fetch === 'function' && (fetch as { [acceptsLightSignals]?: boolean })[acceptsLightSignals] === true;
}

const ABORT = Symbol('abort');

export class LightAbortSignal implements AbortSignal {
  #aborted = false;
  #reason: unknown = undefined;
  #entries: Entry[] | null = null;
  onabort: ((this: AbortSignal, event: Event) => unknown) | null = null;

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  addEventListener(type: string, listener: Listener | null, options?: ListenerOptions): void {
    if (type !== 'abort' || !listener || this.#aborted) return;
    const opts = typeof options === 'object' ? options : {};
    if (opts.signal?.aborted) return;
    if (!this.#entries) this.#entries = [];
    // An EventTarget adds a listener once: the same function again is a no-op.
    if (this.#entries.some((e) => e.listener === listener)) return;
    this.#entries.push({ listener, once: opts.once === true });
    opts.signal?.addEventListener('abort', () => this.removeEventListener('abort', listener), { once: true });
  }

  removeEventListener(type: string, listener: Listener | null): void {
    if (type !== 'abort' || !this.#entries) return;
    const at = this.#entries.findIndex((e) => e.listener === listener);
    if (at >= 0) this.#entries.splice(at, 1);
  }

  dispatchEvent(event: Event): boolean {
    // Only 'abort' listeners are kept (others are ignored when added).
    if (event.type !== 'abort') return true;
    const entries = this.#entries ?? [];
    for (const entry of [...entries]) {
      // One removed by an earlier listener is not called, as with an EventTarget.
      if (!this.#entries?.includes(entry)) continue;
      if (entry.once) this.removeEventListener(event.type, entry.listener);
      const { listener } = entry;
      // A listener that throws must not stop the others, as with an EventTarget: report it instead.
      try {
        if (typeof listener === 'function') listener.call(this, event);
        else listener.handleEvent(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
    return true;
  }

  [ABORT](reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    const event = new Event('abort');
    try {
      this.onabort?.call(this, event);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
    this.dispatchEvent(event);
    this.#entries = null;
  }
}

/** An `AbortController` whose signal is a `LightAbortSignal`. */
export class LightAbortController {
  readonly signal = new LightAbortSignal();

  abort(reason?: unknown): void {
    this.signal[ABORT](reason);
  }
}
