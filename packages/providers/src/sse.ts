import { isAbortError } from './errors';
import type { StreamEvent } from './types';

/** One server-sent event: its `event:` field (null when it had none) and its `data:` lines joined. */
export interface SseEvent {
  event: string | null;
  data: string;
}

const LINE_END = /\r\n|\r|\n/g;

/**
 * Reads server-sent events out of a byte stream as the WHATWG event-stream rules read them:
 * lines end at CRLF, LF or CR (a chunk may split any of them, or a UTF-8 character); `data:`
 * lines join with LF; a blank line ends an event; comments, other fields and events without data
 * are skipped, and an event the stream ends inside is dropped.
 *
 * The provider SDKs' own readers scan every byte in JavaScript and copy what they hold after each
 * event, then hand each event through three async generators; this one searches decoded text
 * natively and returns the events a read completes in one array, for one loop on the caller's side.
 */
export class SseReader {
  readonly #decoder = new TextDecoder();
  /** Text after the last complete line (a trailing CR waits: an LF may follow in the next read). */
  #rest = '';
  #event: string | null = null;
  #data: string[] = [];

  /** The events these bytes complete, in order. */
  read(bytes: Uint8Array): SseEvent[] {
    return this.#lines(this.#rest + this.#decoder.decode(bytes, { stream: true }), false);
  }

  /** The stream ended: what its last bytes complete. */
  end(): SseEvent[] {
    return this.#lines(this.#rest + this.#decoder.decode(), true);
  }

  #lines(text: string, final: boolean): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    LINE_END.lastIndex = 0;
    for (let match = LINE_END.exec(text); match; match = LINE_END.exec(text)) {
      // A CR that ends the text may be the first half of a CRLF split across reads.
      if (!final && match[0] === '\r' && match.index === text.length - 1) break;
      this.#line(text.slice(start, match.index), events);
      start = LINE_END.lastIndex;
    }
    this.#rest = final ? '' : text.slice(start);
    return events;
  }

  #line(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.#data.length > 0) events.push({ event: this.#event, data: this.#data.join('\n') });
      this.#event = null;
      this.#data = [];
      return;
    }
    if (line.charCodeAt(0) === 0x3a /* ':' comment */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
  }
}

/** What one provider makes of its stream's events. */
export interface StreamEventMapper {
  /** The delta an event carries, if any; keeps what the final event needs; throws on an error event. */
  delta(event: SseEvent): Delta | null;
  /** The final event, from what the events before it said. */
  done(): Done;
}

type Delta = Extract<StreamEvent, { type: 'delta' }>;
type Done = Extract<StreamEvent, { type: 'done' }>;

/**
 * A streamed response as the gateway's stream events: each delta as soon as the read that
 * completes its event arrives, then the final event. As the SDKs' streams do, an abort ends it
 * quietly (the caller sees its signal aborted) and other failures fail it, normalised by `fail`.
 * Ending the iteration early cancels the body, which closes the provider's connection.
 */
export async function* readEventStream(
  response: Response,
  mapper: StreamEventMapper,
  signal: AbortSignal | undefined,
  fail: (error: unknown) => Error,
): AsyncGenerator<StreamEvent> {
  try {
    // A web stream or the gateway's fetch body: both are async iterables of bytes.
    const body = response.body as AsyncIterable<Uint8Array> | null;
    if (!body) throw new Error('The provider answered a stream with no body');
    const reader = new SseReader();
    for await (const bytes of body) {
      for (const event of reader.read(bytes)) {
        const delta = mapper.delta(event);
        if (delta) yield delta;
      }
    }
    for (const event of reader.end()) {
      const delta = mapper.delta(event);
      if (delta) yield delta;
    }
  } catch (error) {
    if (!(signal?.aborted || isAbortError(error))) throw fail(error);
  }
  yield mapper.done();
}
