import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateRedis {
  url: string;
  port: number;
  /** The server's process, to read its CPU. */
  pid: number;
  stop(): Promise<void>;
  /** SIGKILL, as a crash: what AOF had not written is lost. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: a server that holds its connections open but answers nothing (a hang). */
  pause(): void;
  resume(): void;
}

export interface PrivateRedisOptions {
  cluster?: boolean;
  /** Reuse a port (to restart a killed server in place); a free one by default. */
  port?: number;
  /** Keep data here across restarts, with AOF fsync on every write; a throwaway folder by default. */
  durableDir?: string;
}

const INSTALL_HINT =
  'Tests need Redis 7+. Install it (Debian/Ubuntu: `apt-get install redis-server`, macOS: `brew install redis`) ' +
  'so that `redis-server` is on PATH, or point REDIS_URL at a Redis you may flush.';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/**
 * Starts a throwaway `redis-server` on a free loopback port with persistence off. With
 * `cluster`, it is a one-node Redis Cluster owning every slot: cross-slot scripts fail there
 * exactly as on a real cluster.
 */
export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new Error(`redis-server not found. ${INSTALL_HINT}`);
  const port = options.port ?? (await freePort());
  const dir = options.durableDir ?? mkdtempSync(join(tmpdir(), 'tollgate-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      ...(options.durableDir ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
      '--dir',
      dir,
      // Announce the loopback address: otherwise CLUSTER SLOTS reports an empty host.
      ...(options.cluster
        ? [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            join(dir, 'nodes.conf'),
            '--cluster-announce-ip',
            '127.0.0.1',
          ]
        : []),
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${port}. ${INSTALL_HINT}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  if (options.cluster) await claimAllSlots(port);
  const exited = () => new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid as number,
    kill: async () => {
      child.kill('SIGKILL');
      await exited();
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGCONT');
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (!options.durableDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function claimAllSlots(port: number): Promise<void> {
  const cli = (...args: string[]) =>
    spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout?.trim() ?? '';
  cli('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
  const deadline = Date.now() + 10_000;
  while (!cli('CLUSTER', 'INFO').includes('cluster_state:ok')) {
    if (Date.now() > deadline) throw new Error('one-node Redis Cluster did not become ready');
    await new Promise((r) => setTimeout(r, 50));
  }
}
