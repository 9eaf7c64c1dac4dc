import { BoundedMemo } from '@tollgate/memo';
import { dims, usageKeys } from './keys';

/** A value's key, built from it once (see `BoundedMemo`). */
function memo<T>(make: (value: string) => T): (value: string) => T {
  const made = new BoundedMemo<T>();
  return (value) => made.get(value, make);
}

/** The last few days' or minutes' keys (a batch may straddle midnight or a minute). */
function lastFew<K extends string | number, T>(make: (k: K) => T): (k: K) => T {
  const made = new BoundedMemo<T, K>(4);
  return (k) => made.get(k, make);
}

/** One day's rollup and index keys, and its minutes' (see `createKeyCache`). */
function dayKeysOf(day: string) {
  return {
    system: usageKeys.rollup(day, dims.system),
    user: memo((id) => usageKeys.rollup(day, dims.user(id))),
    provider: memo((provider) => usageKeys.rollup(day, dims.provider(provider))),
    /** A provider's models: each model's rollup key and its member in the models index. */
    models: memo((provider) =>
      memo((model) => ({ rollup: usageKeys.rollup(day, dims.model(provider, model)), member: `${provider}/${model}` })),
    ),
    entry: memo((entryPoint) => usageKeys.rollup(day, dims.entry(entryPoint))),
    minute: lastFew((minute: number) => ({
      system: usageKeys.minute(day, minute, dims.system),
      provider: memo((provider) => usageKeys.minute(day, minute, dims.provider(provider))),
    })),
    index: {
      users: usageKeys.index(day, 'users'),
      models: usageKeys.index(day, 'models'),
      providers: usageKeys.index(day, 'providers'),
      entries: usageKeys.index(day, 'entries'),
      prompts: usageKeys.index(day, 'prompts'),
    },
  };
}

/**
 * The recorder's keys, each built once and then found by the event's own strings (user id,
 * provider, model, entry point: the same string instances call after call). Building every key of
 * every event afresh, and hashing each new string to find its place in the batch, was most of the
 * recorder's CPU (~5 µs an event).
 */
export function createKeyCache() {
  return {
    day: lastFew(dayKeysOf),
    recent: usageKeys.recent(),
    recentOfUser: memo(usageKeys.recentOfUser),
  };
}
