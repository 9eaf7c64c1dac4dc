import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Said of a body that stops before its declared length, here and by the server's `clientError` answer. */
export const INCOMPLETE_BODY_MESSAGE = 'The request body ended early';

/**
 * The raw body, up to `limit` bytes. Read with 'data' events rather than `for await`: the
 * stream's async iterator costs a promise and several objects per request on the hot path.
 */
function readBody(req: IncomingMessage, limit: number): Promise<{ chunks: Buffer[]; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve({ chunks, size });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(new BodyError(400, 'INCOMPLETE_BODY', INCOMPLETE_BODY_MESSAGE));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

const tooLarge = (limit: number) => new BodyError(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${limit} bytes`);

/**
 * Reads a JSON body up to `limit` bytes. An empty body is `undefined`. Past the limit the rest is
 * never read: the 413 closes the connection instead.
 */
export async function readJsonBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  let body: { chunks: Buffer[]; size: number };
  try {
    if (declared > limit) throw tooLarge(limit);
    body = await readBody(req, limit);
  } catch (error) {
    if (error instanceof BodyError && error.status === 413 && !res.headersSent) res.setHeader('connection', 'close');
    throw error;
  }
  const { chunks, size } = body;
  if (size === 0) return undefined;
  const type = req.headers['content-type'] ?? '';
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new BodyError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
  }
  try {
    // Most bodies arrive in one chunk: decoded where it lies instead of copied first.
    const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new BodyError(400, 'INVALID_JSON', 'Request body is not valid JSON');
  }
}
