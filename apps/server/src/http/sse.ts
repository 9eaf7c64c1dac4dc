import type { ServerResponse } from 'node:http';

const PENDING = Symbol('tollgate.ssePending');
type SseResponse = ServerResponse & { [PENDING]?: string };

/**
 * Events written in one turn of the event loop (those of one upstream read) leave in one socket
 * write, as one chunk of the response: they are gathered as text, and the response is corked
 * until the current tick's work is done, so headers written in the same tick go with them. One
 * `write` per event cost a chunk header, a trailer and a pass through the stream's buffering each.
 */
function gather(res: SseResponse, text: string): void {
  const pending = res[PENDING];
  if (pending !== undefined) {
    res[PENDING] = pending + text;
    return;
  }
  res[PENDING] = text;
  res.cork();
  process.nextTick(flush, res);
}

function flush(res: SseResponse): void {
  if (writePending(res)) res.uncork();
}

/** Writes what this tick gathered, if it gathered anything; says whether it had (and so corked). */
function writePending(res: SseResponse): boolean {
  const text = res[PENDING];
  if (text === undefined) return false;
  res[PENDING] = undefined;
  if (text !== '' && !res.destroyed && !res.writableEnded) res.write(text);
  return true;
}

/** Starts a server-sent-events response; flushes headers so the client sees the stream at once. */
export function startSse(res: ServerResponse, headers: Record<string, string> = {}): void {
  gather(res, '');
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...headers,
  });
  res.flushHeaders();
}

/** One event; `data` is sent as it is when a string (already JSON, or `[DONE]`), else as JSON. */
export function writeSse(res: ServerResponse, data: unknown, event?: string): void {
  if (res.destroyed || res.writableEnded) return;
  gather(res, `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

/** Ends the stream after the events gathered in this tick, in the same socket write (`end` uncorks). */
export function endSse(res: ServerResponse): void {
  writePending(res);
  res.end();
}

/** Pulls the first item before anything is written, so errors before the stream starts keep their status. */
export async function firstOf<T>(
  iterable: AsyncIterable<T>,
): Promise<{ first: IteratorResult<T>; rest: AsyncIterator<T> }> {
  const iterator = iterable[Symbol.asyncIterator]();
  const first = await iterator.next();
  return { first, rest: iterator };
}
