import type { Command } from 'commander';
import { loadSettings } from '#core/wiring/settings.ts';
import { SqlApiKeyRepository } from '#core/adapters/store/api-keys.ts';
import { DEFAULT_SCOPES, SCOPES, type ApiKeyRepository, type Scope } from '#core/ports/api-keys.ts';
import { openStore } from '#core/adapters/store/open.ts';
import { action } from '../cli-errors.ts';

/** `carrier keys …`: the subcommands of the `keys` command. */
export function register(keys: Command): void {
  keys
    .command('create')
    .description('create an API key; it is printed once and only its hash is kept')
    .requiredOption('-n, --name <name>', 'what the key is for, e.g. ci')
    .option('-s, --scope <scope...>', `scopes: ${SCOPES.join(', ')}`, DEFAULT_SCOPES)
    .action(
      action(async (options: { name: string; scope: Scope[] }) => {
        await withKeys(async (store) => {
          const { key, record } = await store.create(options.name, options.scope);
          process.stdout.write(`${key}\n`);
          process.stderr.write(
            `created ${record.id} "${record.name}" with ${record.scopes.join(', ')}; keep the key: it is not shown again\n`,
          );
        });
      }),
    );

  keys
    .command('list')
    .description('list API keys (never the keys themselves)')
    .action(
      action(async () => {
        await withKeys(async (store) => {
          for (const k of await store.list()) {
            const state = k.revokedAt ? `revoked ${k.revokedAt}` : `last used ${k.lastUsedAt ?? 'never'}`;
            process.stdout.write(`${k.id}\t${k.name}\t${k.scopes.join(',')}\t${state}\n`);
          }
        });
      }),
    );

  keys
    .command('revoke')
    .description('revoke an API key by id (or by the key itself); requests with it get 401 from then on')
    .argument('<id>', 'the key id from `carrier keys list`, or the whole key')
    .action(
      action(async (id: string) => {
        await withKeys(async (store) => {
          const record = await store.revoke(id);
          process.stderr.write(`revoked ${record.id} "${record.name}"\n`);
        });
      }),
    );
}

/** The store the local stack and the API use: Supabase or DATABASE_URL when set, else the local PGlite. */
async function withKeys(fn: (keys: ApiKeyRepository) => Promise<void>): Promise<void> {
  const settings = await loadSettings();
  const store = await openStore(settings.env, { migrate: true });
  try {
    await fn(new SqlApiKeyRepository(store));
  } finally {
    await store.close();
  }
}
