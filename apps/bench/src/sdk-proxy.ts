// The floor for a gateway built on the official SDK: a node:http server that sends each call
// through the gateway's OpenAI provider (the SDK with the gateway's upstream fetch and prepared
// headers) and answers the result, with no auth, limits, pricing, tracing or recording. The
// gateway's figures read against it show what Tollgate itself adds on top of the SDK.
import http from 'node:http';
import { createOpenAIProvider } from '@tollgate/providers';
import { createUpstreamFetch } from '@tollgate/server/upstream-fetch';

const [port, upstream] = [Number(process.argv[2]), String(process.argv[3])];
const provider = createOpenAIProvider({ apiKey: 'bench', baseURL: `${upstream}/v1`, fetch: createUpstreamFetch() });

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        model: string;
        messages: { role: 'user'; content: string }[];
        max_tokens: number;
      };
      provider
        .complete({ model: body.model, messages: body.messages, max_tokens: body.max_tokens }, { timeoutMs: 60_000 })
        .then(
          (out) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out)),
          () => res.writeHead(502).end(),
        );
    });
  })
  .listen(port, '127.0.0.1', () => process.stdout.write(`listening on ${port}\n`));
