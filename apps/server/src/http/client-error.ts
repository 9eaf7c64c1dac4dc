import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { INCOMPLETE_BODY_MESSAGE } from './body';

/** What node:http's parser and timers fail a connection with, as the JSON error every other bad input gets. */
const ANSWERS: Record<string, [status: number, code: string, error: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', 'Request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive'],
  HPE_INVALID_EOF_STATE: [400, 'INCOMPLETE_BODY', INCOMPLETE_BODY_MESSAGE],
};
const MALFORMED: [number, string, string] = [400, 'MALFORMED_REQUEST', 'The request is not valid HTTP/1.1'];

/**
 * The server's `clientError` listener: node:http otherwise answers a malformed or cut-short
 * request with a bare `400 Bad Request` and no body. A socket already answering (headers sent)
 * or no longer writable is only closed, as Node does.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  const inProgress = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, code, message] = ANSWERS[error.code ?? ''] ?? MALFORMED;
  const body = JSON.stringify({ error: message, code });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n${body}`,
  );
}
