import fc from 'fast-check';
import { Stream } from 'openai/streaming';
import { describe, expect, it, vi } from 'vitest';
import { type SseEvent, SseReader } from './sse';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Every event the reader finds in these reads, then at the end. */
function readAll(chunks: Uint8Array[]): SseEvent[] {
  const reader = new SseReader();
  return [...chunks.flatMap((c) => reader.read(c)), ...reader.end()];
}

/** The same bytes cut at the given offsets. */
function cut(all: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => o % (all.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, all.length]) {
    chunks.push(all.subarray(from, p));
    from = p;
  }
  return chunks;
}

describe('SseReader', () => {
  it('reads events, joining data lines and keeping the event name', () => {
    expect(readAll([bytes('data: {"a":1}\n\nevent: delta\ndata: one\ndata:two\n\n')])).toEqual([
      { event: null, data: '{"a":1}' },
      { event: 'delta', data: 'one\ntwo' },
    ]);
  });

  it('ends lines at CRLF, CR or LF, even when a read splits a CRLF', () => {
    const text = 'data: a\r\ndata: A\r\n\r\ndata: b\r\rdata: c\n\n';
    const expected = [
      { event: null, data: 'a\nA' },
      { event: null, data: 'b' },
      { event: null, data: 'c' },
    ];
    expect(readAll([bytes(text)])).toEqual(expected);
    // Cut between every CR and its LF: a CR at the end of a read must wait for the next one.
    for (let at = 1; at < text.length; at++) {
      expect(readAll([bytes(text.slice(0, at)), bytes(text.slice(at))])).toEqual(expected);
    }
  });

  it('keeps a UTF-8 character whole when a read splits its bytes', () => {
    const all = bytes('data: héllo 👋\n\n');
    for (let at = 1; at < all.length; at++) {
      expect(readAll([all.subarray(0, at), all.subarray(at)])).toEqual([{ event: null, data: 'héllo 👋' }]);
    }
  });

  it('skips comments, other fields and events without data; drops an event the stream ends inside', () => {
    expect(
      readAll([bytes(': keep-alive\n\nid: 7\nretry: 10\ndata: kept\n\nevent: ping\n\ndata\n\ndata: unfinished\n')]),
    ).toEqual([
      { event: null, data: 'kept' },
      { event: null, data: '' },
    ]);
  });

  it('returns each event from the read that completes it', () => {
    const reader = new SseReader();
    expect(reader.read(bytes('data: x'))).toEqual([]);
    expect(reader.read(bytes('\n'))).toEqual([]);
    expect(reader.read(bytes('\ndata: y\n\n'))).toEqual([
      { event: null, data: 'x' },
      { event: null, data: 'y' },
    ]);
    expect(reader.end()).toEqual([]);
  });

  it('reads an event that spans many reads whole', () => {
    const big = 'x'.repeat(300_000);
    const all = bytes(`data: ${big}\n\ndata: after\n\n`);
    const reads = Array.from({ length: Math.ceil(all.length / 1000) }, (_, i) =>
      all.subarray(i * 1000, (i + 1) * 1000),
    );
    expect(readAll(reads)).toEqual([
      { event: null, data: big },
      { event: null, data: 'after' },
    ]);
  });

  it('fails a stream whose event outgrows the limit, as one line or as many', () => {
    const line = new SseReader(1_000);
    line.read(bytes(`data: ${'x'.repeat(600)}`));
    expect(() => line.read(bytes('x'.repeat(600)))).toThrow(/longer than 1000 characters/);
    const lines = new SseReader(1_000);
    expect(() => lines.read(bytes('data: 0123456789\n'.repeat(100)))).toThrow(/longer than 1000 characters/);
    // Events under the limit pass, however many.
    const many = new SseReader(1_000);
    expect(many.read(bytes('data: 0123456789\n\n'.repeat(500)))).toHaveLength(500);
  });

  // The OpenAI SDK's own reader is the reference: whatever the bytes and however they are cut,
  // both must find the same JSON payloads in the same order.
  it('finds what the OpenAI SDK finds, for any event stream cut anywhere', async () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.dictionary(fc.string(), fc.string()));
    // Mostly lines the reader passes over; now and then a second data line, which the SDK joins
    // into text it cannot parse (where the comparison stops).
    const field = fc.oneof(
      { arbitrary: fc.constantFrom(': comment', 'id: 3', 'retry: 5', 'event: delta', 'event: message'), weight: 8 },
      { arbitrary: value.map((v) => `data:${JSON.stringify(v)}`), weight: 1 },
    );
    const event = fc
      .tuple(fc.array(field, { maxLength: 3 }), value)
      .map(([fields, v]) => [...fields, `data: ${JSON.stringify(v)}`]);
    // The SDK logs each payload it cannot parse.
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const stream = fc.record({
      events: fc.array(event, { minLength: 1, maxLength: 8 }),
      lineEnd: fc.constantFrom('\n', '\r\n', '\r'),
      offsets: fc.array(fc.nat(), { maxLength: 12 }),
    });
    await fc.assert(
      fc.asyncProperty(stream, async ({ events, lineEnd, offsets }) => {
        // Each event has data lines of JSON, so the SDK joins them into text it may fail to parse:
        // compare what each side makes of the joined data, parsed or not.
        const text = events.map((lines) => lines.join(lineEnd) + lineEnd + lineEnd).join('');
        const all = bytes(text);
        const ours = readAll(cut(all, offsets)).map((e) => parse(e.data));
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            for (const chunk of cut(all, offsets)) controller.enqueue(chunk);
            controller.close();
          },
        });
        const theirs: unknown[] = [];
        const sdk = Stream.fromSSEResponse<unknown>(new Response(body), new AbortController());
        const iterator = sdk[Symbol.asyncIterator]();
        // The SDK throws on a payload that is not JSON; ours reports the same event unparsed.
        for (;;) {
          try {
            const next = await iterator.next();
            if (next.done) break;
            theirs.push(next.value);
          } catch {
            theirs.push(UNPARSED);
            break;
          }
        }
        const upToFailure = ours.slice(0, ours.indexOf(UNPARSED) + 1 || ours.length);
        expect(upToFailure).toEqual(theirs);
      }),
      { numRuns: 300 },
    );
    vi.restoreAllMocks();
  });
});

const UNPARSED = Symbol('unparsed');

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return UNPARSED;
  }
}
