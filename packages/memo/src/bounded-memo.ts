/**
 * Values made from a key once, then looked up by it; emptied when `max` keys are held.
 * For hot-path memos of values that repeat call after call (a user's keys, an upstream URL, the
 * last few days' keys): memory stays bounded whatever callers send, and a cleared memo only costs
 * remaking them.
 */
export class BoundedMemo<T, K extends string | number = string> {
  readonly #made = new Map<K, T>();

  constructor(readonly max = 10_000) {}

  /** The value for `key`, made with `make(key)` the first time (and again after a clear). */
  get(key: K, make: (key: K) => T): T {
    let value = this.#made.get(key);
    if (value === undefined) {
      if (this.#made.size >= this.max) this.#made.clear();
      value = make(key);
      this.#made.set(key, value);
    }
    return value;
  }

  get size(): number {
    return this.#made.size;
  }
}
