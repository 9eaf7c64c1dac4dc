import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { acceptsLightSignals, LightAbortController, takesLightSignals } from './light-abort';

describe('LightAbortController', () => {
  it('aborts once, with an AbortError as the reason unless given one', () => {
    const plain = new LightAbortController();
    expect(plain.signal.aborted).toBe(false);
    expect(() => plain.signal.throwIfAborted()).not.toThrow();
    plain.abort();
    expect(plain.signal.aborted).toBe(true);
    expect(plain.signal.reason).toBeInstanceOf(DOMException);
    expect((plain.signal.reason as DOMException).name).toBe('AbortError');
    expect(() => plain.signal.throwIfAborted()).toThrow(plain.signal.reason as Error);

    const given = new LightAbortController();
    const reason = new Error('client gone');
    given.abort(reason);
    given.abort(new Error('second'));
    expect(given.signal.reason).toBe(reason);
  });

  it('calls each abort listener once, as an EventTarget does', () => {
    const controller = new LightAbortController();
    const { signal } = controller;
    const kept = vi.fn();
    const once = vi.fn();
    const removed = vi.fn();
    const handler = { handleEvent: vi.fn() };
    const onabort = vi.fn();
    const unsubscribed = vi.fn();
    const unsubscribe = new AbortController();
    signal.addEventListener('abort', unsubscribed, { signal: unsubscribe.signal });
    unsubscribe.abort();
    signal.addEventListener('abort', unsubscribed, { signal: unsubscribe.signal });
    signal.addEventListener('abort', kept);
    signal.addEventListener('abort', kept); // the same listener twice is added once
    signal.addEventListener('abort', once, { once: true });
    signal.addEventListener('abort', removed);
    signal.addEventListener('abort', handler);
    signal.addEventListener('other', removed);
    signal.removeEventListener('abort', removed);
    signal.onabort = onabort;
    signal.dispatchEvent(new Event('other'));
    expect(kept).not.toHaveBeenCalled();
    controller.abort();
    controller.abort();
    expect(kept).toHaveBeenCalledTimes(1);
    expect(once).toHaveBeenCalledTimes(1);
    expect(handler.handleEvent).toHaveBeenCalledTimes(1);
    expect(onabort).toHaveBeenCalledTimes(1);
    expect(removed).not.toHaveBeenCalled();
    expect(unsubscribed).not.toHaveBeenCalled();
    expect(kept.mock.calls[0]).toEqual([expect.objectContaining({ type: 'abort' })]);
    // An EventTarget does not call a listener added after the event.
    const late = vi.fn();
    signal.addEventListener('abort', late);
    expect(late).not.toHaveBeenCalled();
  });

  it('does not call a listener an earlier one removed', () => {
    const controller = new LightAbortController();
    const later = vi.fn();
    controller.signal.addEventListener('abort', () => controller.signal.removeEventListener('abort', later));
    controller.signal.addEventListener('abort', later);
    controller.abort();
    expect(later).not.toHaveBeenCalled();
  });

  it('keeps calling listeners after one throws', async () => {
    const controller = new LightAbortController();
    const after = vi.fn();
    const thrown: unknown[] = [];
    const onUncaught = (error: unknown) => thrown.push(error);
    process.prependListener('uncaughtException', onUncaught);
    try {
      controller.signal.addEventListener('abort', () => {
        throw new Error('listener failed');
      });
      controller.signal.addEventListener('abort', after);
      controller.abort();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(after).toHaveBeenCalledTimes(1);
    expect(thrown).toEqual([new Error('listener failed')]);
  });

  it('holds no listener once removed, so a long-lived signal does not grow', () => {
    const controller = new LightAbortController();
    const removed = Array.from({ length: 1_000 }, () => vi.fn());
    for (const listener of removed) {
      controller.signal.addEventListener('abort', listener, { once: true });
      controller.signal.removeEventListener('abort', listener);
    }
    const last = vi.fn();
    controller.signal.addEventListener('abort', last);
    controller.abort();
    expect(last).toHaveBeenCalledTimes(1);
    expect(removed.filter((listener) => listener.mock.calls.length > 0)).toHaveLength(0);
  });
});

describe('where a light signal goes', () => {
  it('cancels a global fetch, which reads signals by their shape', async () => {
    // A server that takes the connection and never answers.
    const sockets = new Set<Socket>();
    const server = createServer((socket) => sockets.add(socket)).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const controller = new LightAbortController();
      const reason = new Error('client gone');
      const pending = fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(reason), 20);
      await expect(pending).rejects.toBe(reason);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });

  it('tells a fetch marked as taking light signals from others', () => {
    const marked = Object.assign(async () => new Response(), { [acceptsLightSignals]: true });
    expect(takesLightSignals(marked)).toBe(true);
    expect(takesLightSignals(fetch)).toBe(false);
    expect(takesLightSignals(undefined)).toBe(false);
  });
});
