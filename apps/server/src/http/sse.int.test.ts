import { createServer, request } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { countSocketWrites } from '@tollgate/test-tools';
import { describe, expect, it } from 'vitest';
import { endSse, startSse, writeSse } from './sse';

/** Counts the socket writes and response writes a handler makes, and returns what the client read. */
async function serve(handler: (write: (data: unknown) => void, end: () => void, destroy: () => void) => void) {
  let writes: ReturnType<typeof countSocketWrites> | undefined;
  let responseWrites = 0;
  const server = createServer((_req, res) => {
    writes = countSocketWrites(res.socket as Socket);
    const write = res.write.bind(res) as (chunk: string) => boolean;
    res.write = ((chunk: string) => {
      responseWrites++;
      return write(chunk);
    }) as typeof res.write;
    startSse(res);
    handler(
      (data) => writeSse(res, data),
      () => endSse(res),
      () => res.destroy(),
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
      res.on('error', () => resolve(text));
    })
      .on('error', reject)
      .end();
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { writes: writes?.count, responseWrites, body };
}

describe('server-sent events', () => {
  it('sends a turn’s events as one response chunk, with the headers in one socket write, and those of the ending turn before the end', async () => {
    const { writes, responseWrites, body } = await serve((write, end) => {
      for (let i = 0; i < 50; i++) write({ n: i });
      setTimeout(() => {
        write({ n: 50 });
        write('[DONE]');
        end();
      }, 20);
    });
    expect(body).toBe(`${Array.from({ length: 51 }, (_, n) => `data: {"n":${n}}\n\n`).join('')}data: [DONE]\n\n`);
    // One socket write for the headers and the first turn's events, one for the rest and the end;
    // one response write per turn, not one per event.
    expect(writes).toBe(2);
    expect(responseWrites).toBe(2);
  });

  it('drops what is written after the client is gone, and ends quietly', async () => {
    const { responseWrites } = await serve((write, end, destroy) => {
      write({ n: 0 });
      setTimeout(() => {
        destroy();
        write({ n: 1 });
        end();
      }, 20);
    });
    expect(responseWrites).toBe(1);
  });
});
