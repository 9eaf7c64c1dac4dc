import { type FakeUpstream, type FakeUpstreamOptions, startFakeUpstream } from '@tollgate/test-tools';
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer, upstreamEnv } from './test-server';

/**
 * A gateway on its own fake upstream for the enclosing `describe`: started before its tests and
 * stopped after them. Read `fake` and `server` inside tests or hooks, once they have started.
 */
export function gatewayOnFakeUpstream(options?: FakeUpstreamOptions): {
  readonly fake: FakeUpstream;
  readonly server: TestServer;
} {
  let fake: FakeUpstream | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    fake = await startFakeUpstream(options);
    server = await startTestServer(upstreamEnv(fake));
  });
  afterAll(async () => {
    await server?.shutdown();
    await fake?.close();
  });
  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`${name} is read before the suite started`);
    return value;
  };
  return {
    get fake() {
      return started(fake, 'fake');
    },
    get server() {
      return started(server, 'server');
    },
  };
}
