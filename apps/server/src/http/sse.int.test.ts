import { createServer, request } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { countSocketWrites } from '@tollgate/test-tools';
import { describe, expect, it } from 'vitest';
import { startSse, writeSse } from './sse';

/** Counts the socket writes a handler makes, and returns what the client read. */
async function serve(handler: (write: (data: unknown) => void, end: () => void) => void) {
  let writes: ReturnType<typeof countSocketWrites> | undefined;
  const server = createServer((_req, res) => {
    writes = countSocketWrites(res.socket as Socket);
    startSse(res);
    handler(
      (data) => writeSse(res, data),
      () => res.end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const body = await new Promise<string>((resolve, reject) => {
    request({ port, host: '127.0.0.1' }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => {
        text += d.toString();
      });
      res.on('end', () => resolve(text));
    })
      .on('error', reject)
      .end();
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { writes: writes?.count, body };
}

describe('server-sent events', () => {
  it('sends the headers and the events written in one turn in one socket write', async () => {
    const { writes, body } = await serve((write, end) => {
      for (let i = 0; i < 5; i++) write({ n: i });
      setTimeout(() => {
        write({ n: 5 });
        write('[DONE]');
        end();
      }, 20);
    });
    expect(body).toBe(`${[0, 1, 2, 3, 4, 5].map((n) => `data: {"n":${n}}\n\n`).join('')}data: [DONE]\n\n`);
    // One write for the headers and the first five events, one for the rest and the end.
    expect(writes).toBe(2);
  });
});
