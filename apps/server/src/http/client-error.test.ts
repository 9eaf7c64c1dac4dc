import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { answerClientError } from './client-error';

/** A socket stand-in that keeps what is written and whether it was ended or destroyed. */
function socket(inProgress?: { headersSent: boolean }) {
  let written = '';
  const s = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString();
      done();
    },
  });
  if (inProgress) Object.assign(s, { _httpMessage: inProgress });
  return { s, written: () => written };
}

const failure = (code: string) => Object.assign(new Error(code), { code });

describe('answerClientError', () => {
  it.each([
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT'],
    ['HPE_HEADER_OVERFLOW', 431, 'HEADERS_TOO_LARGE'],
    ['HPE_INVALID_EOF_STATE', 400, 'INCOMPLETE_BODY'],
    ['HPE_INVALID_METHOD', 400, 'MALFORMED_REQUEST'],
  ])('answers %s with %i and a JSON body, then closes', async (code, status, jsonCode) => {
    const { s, written } = socket({ headersSent: false });
    answerClientError(failure(code), s);
    await new Promise((r) => setImmediate(r));
    const [head = '', body = ''] = written().split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(head).toMatch(/\r\nconnection: close/);
    expect(Number(/content-length: (\d+)/.exec(head)?.[1])).toBe(Buffer.byteLength(body));
    expect(JSON.parse(body)).toEqual({ error: expect.any(String), code: jsonCode });
    expect(s.writableEnded).toBe(true);
  });

  it('only closes a connection the client reset, or one whose answer has begun', () => {
    for (const [error, inProgress] of [
      [failure('ECONNRESET'), undefined],
      [failure('HPE_INVALID_METHOD'), { headersSent: true }],
    ] as const) {
      const { s, written } = socket(inProgress);
      answerClientError(error, s);
      expect(s.destroyed).toBe(true);
      expect(written()).toBe('');
    }
  });
});
