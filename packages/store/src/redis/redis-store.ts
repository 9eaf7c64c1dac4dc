import { createHash } from 'node:crypto';
import { Cluster, Command, Redis, type RedisOptions, ReplyError } from 'ioredis';
import { keyCountError, StoreUnavailableError } from '../errors';
import type { ScriptArg, ScriptReply, Store, StoreScript } from '../types';

export interface RedisStoreOptions {
  /** `redis://…` or `rediss://…`; with `cluster`, a comma-separated list of seed nodes. */
  url: string;
  cluster?: boolean;
  /** Every command fails after this long, so a hung Redis cannot hang a request. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Prepended to every key (scripts included); lets tests and tenants share one Redis. */
  keyPrefix?: string;
}

/** Connection-level failures become StoreUnavailableError; script errors (ReplyError) stay as they are. */
function classify(error: unknown): unknown {
  return error instanceof ReplyError ? error : new StoreUnavailableError(error);
}

export function createRedisStore(options: RedisStoreOptions): Store & { readonly client: Redis | Cluster } {
  const redisOptions: RedisOptions = {
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    // Fail fast while disconnected instead of queueing: the spend policy (closed/open) decides.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Reconnect forever with a capped backoff; commands fail fast meanwhile.
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2_000),
    lazyConnect: true,
  };
  const client: Redis | Cluster = options.cluster
    ? new Cluster(
        options.url.split(',').map((node) => {
          const u = new URL(node.includes('://') ? node : `redis://${node}`);
          return { host: u.hostname, port: Number(u.port || 6379) };
        }),
        { redisOptions, enableOfflineQueue: false, lazyConnect: true },
      )
    : new Redis(options.url, redisOptions);
  // Errors surface through commands; an unhandled 'error' event would crash the process.
  client.on('error', () => {});

  // Scripts run as EVALSHA commands sent directly, and as EVAL (which also caches them) when the
  // server answers NOSCRIPT (first use, a restart, SCRIPT FLUSH). ioredis' defineCommand does the
  // same through a wrapper command, an extra promise chain and a copy of the arguments per call.
  const shas = new WeakMap<StoreScript, string>();
  const shaOf = (script: StoreScript) => {
    let sha = shas.get(script);
    if (!sha) {
      sha = createHash('sha1').update(script.lua).digest('hex');
      shas.set(script, sha);
    }
    return sha;
  };
  const UTF8 = { replyEncoding: 'utf8' } as const;
  const isNoScript = (error: unknown) => error instanceof ReplyError && String(error).includes('NOSCRIPT');
  const evalScript = (script: StoreScript, args: ScriptArg[]): Promise<unknown> => {
    args[0] = shaOf(script);
    return (client.sendCommand(new Command('evalsha', args, UTF8)) as Promise<unknown>).catch((error: unknown) => {
      if (!isNoScript(error)) throw error;
      args[0] = script.lua;
      return client.sendCommand(new Command('eval', args, UTF8));
    });
  };
  // The prefix is added here rather than by ioredis' keyPrefix option, which works out each
  // command's key positions from its command table: a cost per command on the hot path.
  const prefix = options.keyPrefix ?? '';
  const p = (key: string) => prefix + key;
  /**
   * EVALSHA's arguments after the command name. The first (the script) is filled in when sent;
   * the commands copy their arguments, so the NOSCRIPT fallback may overwrite it.
   */
  const argsOf = (keys: readonly string[], argv: readonly ScriptArg[]) => {
    const args: ScriptArg[] = ['', keys.length];
    for (const key of keys) args.push(prefix + key);
    for (const arg of argv) args.push(arg);
    return args;
  };
  let connecting: Promise<void> | null = null;
  const connect = (): Promise<void> => {
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'wait' || client.status === 'end') {
      connecting ??= client.connect().finally(() => {
        connecting = null;
      });
    }
    return connecting ?? Promise.resolve();
  };

  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw classify(error);
    }
  };

  const runNow = <R>(script: StoreScript, args: ScriptArg[]): Promise<R> =>
    (evalScript(script, args) as Promise<R>).catch((error: unknown) => {
      throw classify(error);
    });

  /**
   * Sends several commands in one socket write: corked, ioredis' writes for each command go out
   * together when uncorked. Same wire bytes as a pipeline, without building one (a Pipeline
   * object per batch, and commands it kept alive long enough to reach the old generation).
   */
  const corked = <T>(send: () => T): T => {
    const socket = options.cluster ? undefined : (client as Redis).stream;
    socket?.cork();
    try {
      return send();
    } finally {
      socket?.uncork();
    }
  };

  // Scripts started in the same event-loop turn (concurrent requests' reserves and settles) go
  // out in one write and come back in one read, instead of one each.
  type Queued = { script: StoreScript; args: ScriptArg[]; resolve: (v: unknown) => void; reject: (e: unknown) => void };
  let queued: Queued[] = [];
  const sendQueued = () => {
    const batch = queued;
    queued = [];
    corked(() => {
      for (const q of batch)
        evalScript(q.script, q.args).then(q.resolve, (error: unknown) => q.reject(classify(error)));
    });
  };

  const store: Store & { readonly client: Redis | Cluster } = {
    kind: 'redis',
    client,
    run<R extends ScriptReply>(script: StoreScript<R>, keys: readonly string[], argv: readonly ScriptArg[]) {
      const invalid = keyCountError(script, keys);
      if (invalid) return Promise.reject(invalid);
      const args = argsOf(keys, argv);
      if (options.cluster) return runNow<R>(script, args);
      return new Promise<R>((resolve, reject) => {
        if (queued.push({ script, args, resolve: resolve as (v: unknown) => void, reject }) === 1)
          setImmediate(sendQueued);
      });
    },
    async runBatch(calls) {
      // Sent together (one write on a standalone Redis; one by one on a Cluster, whose multi-key
      // commands must each stay in one slot), still concurrently; each call keeps its own error.
      const replies = corked(() =>
        calls.map((c) => {
          const invalid = keyCountError(c.script, c.keys);
          if (invalid) return invalid;
          return runNow(c.script, argsOf(c.keys, c.argv)).then(
            () => null,
            (error: unknown) => {
              if (error instanceof StoreUnavailableError) throw error;
              return error instanceof Error ? error : new Error(String(error));
            },
          );
        }),
      );
      return Promise.all(replies);
    },
    get: (key) => call(() => client.get(p(key))),
    set: (key, value, opts = {}) =>
      call(async () => {
        const args: (string | number)[] = [p(key), value];
        if (opts.ttlMs !== undefined) args.push('PX', Math.max(1, Math.ceil(opts.ttlMs)));
        if (opts.onlyIfAbsent) args.push('NX');
        const reply = await client.call('SET', ...args);
        return reply === 'OK';
      }),
    del: (key) => call(async () => void (await client.del(p(key)))),
    incrby: (key, by, ttlMs) =>
      call(async () => {
        const k = p(key);
        if (ttlMs === undefined) return client.incrby(k, by);
        const [[, value]] = (await client.multi().incrby(k, by).pexpire(k, ttlMs, 'NX').exec()) as [
          [Error | null, number],
        ];
        return value;
      }),
    hget: (key, field) => call(() => client.hget(p(key), field)),
    hgetall: (key) => call(() => client.hgetall(p(key))),
    hset: (key, fields) => call(async () => void (await client.hset(p(key), fields))),
    hdel: (key, fields) =>
      call(async () => {
        if (fields.length > 0) await client.hdel(p(key), ...fields);
      }),
    pushCapped: (key, value, cap) =>
      call(async () => {
        await client
          .multi()
          .lpush(p(key), value)
          .ltrim(p(key), 0, cap - 1)
          .exec();
      }),
    range: (key, start, stop) => call(() => client.lrange(p(key), start, stop)),
    zrevrange: (key, start, stop) =>
      call(async () => {
        const flat = await client.zrevrange(p(key), start, stop, 'WITHSCORES');
        const pairs: [string, number][] = [];
        for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i] as string, Number(flat[i + 1])]);
        return pairs;
      }),
    ping: () =>
      call(async () => {
        await connect();
        await client.ping();
      }),
    close: async () => {
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
  return store;
}
