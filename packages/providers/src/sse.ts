/** One server-sent event: its `event:` field (null when it had none) and its `data:` lines joined. */
export interface SseEvent {
  event: string | null;
  data: string;
}

const LINE_END = /\r\n|\r|\n/g;

/** The longest event (its data, or one line) a reader holds before it fails the stream. */
export const MAX_EVENT_CHARS = 16 * 1024 * 1024;

/**
 * Reads server-sent events out of a byte stream as the WHATWG event-stream rules read them:
 * lines end at CRLF, LF or CR (a chunk may split any of them, or a UTF-8 character); `data:`
 * lines join with LF; a blank line ends an event; comments, other fields and events without data
 * are skipped, and an event the stream ends inside is dropped. An event or line longer than
 * `maxEventChars` fails the stream rather than grow without bound.
 *
 * The provider SDKs' own readers scan every byte in JavaScript and copy what they hold after each
 * event, then hand each event through three async generators; this one searches each read's text
 * once, natively, and returns the events the read completes in one array.
 */
export class SseReader {
  readonly #decoder = new TextDecoder();
  readonly #max: number;
  /** The pieces of a line that no read has ended yet (a large event may span many reads). */
  #partial: string[] = [];
  #partialChars = 0;
  /** The last read ended with a CR: an LF that starts the next one belongs to it. */
  #skipLF = false;
  #event: string | null = null;
  #data: string[] = [];
  #dataChars = 0;

  constructor(maxEventChars = MAX_EVENT_CHARS) {
    this.#max = maxEventChars;
  }

  /** The events these bytes complete, in order. */
  read(bytes: Uint8Array): SseEvent[] {
    return this.#lines(this.#decoder.decode(bytes, { stream: true }));
  }

  /** The stream ended: what its last bytes complete. */
  end(): SseEvent[] {
    const events = this.#lines(this.#decoder.decode());
    this.#partial = [];
    this.#partialChars = 0;
    return events;
  }

  #lines(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    if (this.#skipLF && text.length > 0) {
      this.#skipLF = false;
      if (text.charCodeAt(0) === 0x0a) start = 1;
    }
    LINE_END.lastIndex = start;
    for (let match = LINE_END.exec(text); match; match = LINE_END.exec(text)) {
      let line = text.slice(start, match.index);
      if (this.#partial.length > 0) {
        this.#partial.push(line);
        line = this.#partial.join('');
        this.#partial = [];
        this.#partialChars = 0;
      }
      this.#line(line, events);
      start = LINE_END.lastIndex;
      if (match[0] === '\r' && start === text.length) this.#skipLF = true;
    }
    if (start < text.length) {
      this.#partialChars += text.length - start;
      if (this.#partialChars > this.#max) throw new Error(`A streamed event is longer than ${this.#max} characters`);
      this.#partial.push(text.slice(start));
    }
    return events;
  }

  #line(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.#data.length > 0) events.push({ event: this.#event, data: this.#data.join('\n') });
      this.#event = null;
      this.#data = [];
      this.#dataChars = 0;
      return;
    }
    if (line.charCodeAt(0) === 0x3a /* ':' comment */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    if (field === 'data') {
      this.#dataChars += value.length + 1;
      if (this.#dataChars > this.#max) throw new Error(`A streamed event is longer than ${this.#max} characters`);
      this.#data.push(value);
    } else if (field === 'event') this.#event = value;
  }
}
