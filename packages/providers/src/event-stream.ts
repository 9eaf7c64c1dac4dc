import { isAbortError } from './errors';
import { type SseEvent, SseReader } from './sse';
import type { StreamEvent } from './types';

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
