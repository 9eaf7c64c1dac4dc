import { describe, expect, it } from 'vitest';
import { readEventStream, type StreamEventMapper } from './event-stream';
import type { StreamEvent } from './types';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('readEventStream', () => {
  /** Each event's data as a delta; "boom" fails. */
  const mapper = (): StreamEventMapper => ({
    delta(event) {
      if (event.data === 'boom') throw new Error('provider said boom');
      return { type: 'delta', content: event.data };
    },
    done: () => ({ type: 'done', id: 'x', model: 'm', finish_reason: 'stop', usage: null }),
  });
  const failed = (error: unknown) => new Error(`normalised: ${(error as Error).message}`);
  const response = (...chunks: string[]) =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const c of chunks) controller.enqueue(bytes(c));
          controller.close();
        },
      }),
    );
  async function collect(stream: AsyncIterable<StreamEvent>) {
    const seen: string[] = [];
    for await (const e of stream) seen.push(e.type === 'delta' ? (e.content ?? '') : e.type);
    return seen;
  }

  it('yields each delta, then the final event', async () => {
    expect(await collect(readEventStream(response('data: a\n\nda', 'ta: b\n\n'), mapper(), undefined, failed))).toEqual(
      ['a', 'b', 'done'],
    );
  });

  it('fails with the normalised error after the deltas before it', async () => {
    const seen: string[] = [];
    const stream = readEventStream(response('data: a\n\ndata: boom\n\ndata: c\n\n'), mapper(), undefined, failed);
    const error = await (async () => {
      for await (const e of stream) seen.push(e.type === 'delta' ? (e.content ?? '') : e.type);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['a']);
    expect(error).toMatchObject({ message: 'normalised: provider said boom' });
  });

  it('ends quietly when its signal was aborted, and fails a response without a body', async () => {
    const controller = new AbortController();
    controller.abort();
    const aborted = readEventStream(response('data: boom\n\n'), mapper(), controller.signal, failed);
    expect(await collect(aborted)).toEqual(['done']);
    const empty = readEventStream(new Response(null), mapper(), undefined, failed);
    await expect(collect(empty)).rejects.toMatchObject({ message: expect.stringMatching(/^normalised: .*no body/) });
  });
});
