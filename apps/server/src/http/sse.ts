import type { ServerResponse } from 'node:http';

const CORKED = Symbol('tollgate.sseCorked');
type Corkable = ServerResponse & { [CORKED]?: boolean };

/**
 * Events written in one turn of the event loop (those of one upstream read) leave in one socket
 * write: the response is corked until the current tick's work is done.
 */
function corkForTick(res: Corkable): void {
  if (res[CORKED]) return;
  res[CORKED] = true;
  res.cork();
  process.nextTick(() => {
    res[CORKED] = false;
    res.uncork();
  });
}

/** Starts a server-sent-events response; flushes headers so the client sees the stream at once. */
export function startSse(res: ServerResponse, headers: Record<string, string> = {}): void {
  corkForTick(res);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...headers,
  });
  res.flushHeaders();
}

export function writeSse(res: ServerResponse, data: unknown, event?: string): void {
  if (res.destroyed || res.writableEnded) return;
  corkForTick(res);
  res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

/** Pulls the first item before anything is written, so errors before the stream starts keep their status. */
export async function firstOf<T>(
  iterable: AsyncIterable<T>,
): Promise<{ first: IteratorResult<T>; rest: AsyncIterator<T> }> {
  const iterator = iterable[Symbol.asyncIterator]();
  const first = await iterator.next();
  return { first, rest: iterator };
}
