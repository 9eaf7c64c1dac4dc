import { parseArgs } from 'node:util';
import { createApiKeyRepo } from '@tollgate/auth';
import { roleSchema, userIdInputSchema } from '@tollgate/schemas';
import { createStore } from './compose';
import { ConfigError, loadConfig, loadDotEnv } from './env';

const USAGE = `Usage:
  pnpm tollgate keys create --user <id> [--role user|service|admin] [--name <text>]
  pnpm tollgate keys list
  pnpm tollgate keys revoke <key_id>

Runs against the store in REDIS_URL. The embedded store lives inside a running server, so
without REDIS_URL use the admin API (POST /api/v1/ai/admin/keys/) instead.`;

function die(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  loadDotEnv();
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      user: { type: 'string' },
      role: { type: 'string', default: 'user' },
      name: { type: 'string', default: 'cli' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, action, arg] = positionals;
  if (values.help || group !== 'keys' || !action) die(USAGE);

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    die(error instanceof ConfigError ? error.message : String(error));
  }
  if (!config.REDIS_URL) die(`REDIS_URL is not set.\n\n${USAGE}`);
  const store = createStore(config);
  try {
    await store.ping();
    const keys = createApiKeyRepo({ store });
    if (action === 'create') {
      const user = userIdInputSchema.safeParse(values.user);
      const role = roleSchema.safeParse(values.role);
      if (!user.success) die('--user <id> is required (letters, digits and . _ : @ -)');
      if (!role.success) die('--role must be user, service or admin');
      const { key, info } = await keys.create({ userId: user.data, role: role.data, name: values.name ?? 'cli' });
      process.stderr.write(`Created ${info.role} key ${info.key_id} for user ${info.user_id}. It is shown once:\n`);
      process.stdout.write(`${key}\n`);
    } else if (action === 'list') {
      for (const k of await keys.list()) {
        process.stdout.write(
          `${k.key_id}\t${k.role}\t${k.user_id}\t${k.name}\t${k.prefix}…\t${k.revoked_at ? `revoked ${k.revoked_at}` : 'active'}\n`,
        );
      }
    } else if (action === 'revoke' && arg) {
      const revoked = await keys.revoke(arg);
      if (!revoked) die(`No key ${arg}`);
      process.stdout.write(`Revoked ${arg}\n`);
    } else {
      die(USAGE);
    }
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => die(`tollgate: ${error instanceof Error ? error.message : String(error)}`));
