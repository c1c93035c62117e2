import type { Command } from 'commander';
import { SqlApiKeyRepository } from '#core/adapters/store/api-keys.ts';
import {
  ApiKeyError,
  DEFAULT_SCOPES,
  SCOPES,
  type ApiKeyRecord,
  type ApiKeyRepository,
  type KeyLimits,
  type Scope,
} from '#core/ports/api-keys.ts';
import { withStore } from './with-store.ts';
import { action } from '../cli-errors.ts';

interface LimitOptions {
  rate?: string;
  burst?: string;
  maxInFlight?: string;
}

/** `carrier keys …`: the subcommands of the `keys` command. */
export function register(keys: Command): void {
  const create = keys
    .command('create')
    .description('create an API key; it is printed once and only its hash is kept')
    .requiredOption('-n, --name <name>', 'what the key is for, e.g. ci')
    .option('-s, --scope <scope...>', `scopes: ${SCOPES.join(', ')}`, DEFAULT_SCOPES)
    .option('-t, --tenant <tenant>', "whose users and jobs the key reaches (default: the key's own id)");
  limitOptions(create).action(
    action(async (options: { name: string; scope: Scope[]; tenant?: string } & LimitOptions) => {
      await withKeys(async (store) => {
        const { key, record } = await store.create(options.name, options.scope, {
          ...(options.tenant !== undefined ? { tenant: options.tenant } : {}),
          limits: parseLimits(options) as KeyLimits,
        });
        process.stdout.write(`${key}\n`);
        process.stderr.write(
          `created ${record.id} "${record.name}" in tenant ${record.tenant} with ${record.scopes.join(', ')}; keep the key: it is not shown again\n`,
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
            process.stdout.write(
              `${k.id}\t${k.name}\t${k.tenant}\t${k.scopes.join(',')}\t${describeLimits(k)}\t${state}\n`,
            );
          }
        });
      }),
    );

  const limits = keys
    .command('limits')
    .description("set a key's rate and in-flight limits; `default` puts one back to the environment's")
    .argument('<id>', 'the key id from `carrier keys list`, or the whole key');
  limitOptions(limits).action(
    action(async (id: string, options: LimitOptions) => {
      await withKeys(async (store) => {
        const record = await store.setLimits(id, parseLimits(options, true));
        process.stderr.write(`${record.id} "${record.name}": ${describeLimits(record)}\n`);
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
          // Exit 0 for a key already revoked: the key ends up revoked either way, so a rotation
          // script or an incident runbook run twice does not fail on the step that had worked.
          process.stderr.write(
            record.alreadyRevoked
              ? `key ${record.id} "${record.name}" was already revoked on ${record.revokedAt}\n`
              : `revoked ${record.id} "${record.name}"\n`,
          );
        });
      }),
    );
}

function limitOptions(command: Command): Command {
  return command
    .option('--rate <n>', 'requests a minute (default: the environment’s CARRIER_KEY_RATE_PER_MINUTE)')
    .option('--burst <n>', 'requests at once after a quiet spell (default: CARRIER_KEY_BURST)')
    .option('--max-in-flight <n>', 'queued + running turns at most (default: CARRIER_KEY_MAX_IN_FLIGHT)');
}

const FLAGS: Record<keyof LimitOptions, keyof KeyLimits> = {
  rate: 'ratePerMinute',
  burst: 'burst',
  maxInFlight: 'maxInFlight',
};

/** The limits the flags give; with `allowDefault`, `default` is null (back to the environment's). */
function parseLimits(
  options: LimitOptions,
  allowDefault = false,
): { [K in keyof KeyLimits]?: number | null } {
  const out: { [K in keyof KeyLimits]?: number | null } = {};
  for (const [flag, field] of Object.entries(FLAGS) as Array<[keyof LimitOptions, keyof KeyLimits]>) {
    const value = options[flag];
    if (value === undefined) continue;
    if (allowDefault && value === 'default') out[field] = null;
    else if (/^\d+$/.test(value)) out[field] = Number(value);
    else {
      const name = flag === 'maxInFlight' ? 'max-in-flight' : flag;
      throw new ApiKeyError(
        `--${name} must be a whole number${allowDefault ? ' or default' : ''}, got "${value}"`,
        'api_key_limits',
      );
    }
  }
  return out;
}

function describeLimits(k: ApiKeyRecord): string {
  const { ratePerMinute, burst, maxInFlight } = k.limits;
  const shown = (v: number | undefined) => (v === undefined ? 'default' : String(v));
  return `rate ${shown(ratePerMinute)}/min, burst ${shown(burst)}, in flight ${shown(maxInFlight)}`;
}

/** The store the local stack and the API use: Supabase or DATABASE_URL when set, else the local PGlite. */
async function withKeys(fn: (keys: ApiKeyRepository) => Promise<void>): Promise<void> {
  await withStore((store) => fn(new SqlApiKeyRepository(store)));
}
