// A bare node:http JSON proxy (keep-alive, parse and re-serialise the answer): the floor any
// gateway on this machine could reach, so the gateway's figures can be read against it.
import http from 'node:http';

const [port, upstream] = [Number(process.argv[2]), String(process.argv[3])];
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
const target = new URL('/v1/chat/completions', upstream);

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = http.request(
        target,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: 'Bearer bench' } },
        (r) => {
          const body: Buffer[] = [];
          r.on('data', (c: Buffer) => body.push(c));
          r.on('end', () => {
            const json = JSON.parse(Buffer.concat(body).toString()) as unknown;
            res.writeHead(r.statusCode ?? 502, { 'content-type': 'application/json' }).end(JSON.stringify(json));
          });
        },
      );
      up.on('error', () => res.writeHead(502).end());
      up.end(Buffer.concat(chunks));
    });
  })
  .listen(port, '127.0.0.1', () => process.stdout.write(`listening on ${port}\n`));
