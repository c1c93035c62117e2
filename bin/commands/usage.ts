import type { Command } from 'commander';
import { withStore } from './with-store.ts';
import { SqlUsageRepository } from '#core/adapters/store/usage.ts';
import { ConfigError } from '#core/errors.ts';
import { USAGE_GROUPINGS } from '#core/ports/usage.ts';
import { toSummaryQuery, usageQuerySchema } from '#core/usage/usage-query.ts';
import { usageReport, usageTable } from '#core/usage/usage-view.ts';
import { action } from '../cli-errors.ts';
import { requireUser } from './user-ids.ts';

const USERS_HINT = '`carrier usage --by user` lists the users with turns';

interface UsageOptions {
  by?: string;
  from?: string;
  to?: string;
  character?: string;
  user?: string;
  json?: boolean;
}

/** `carrier usage`: turns, tokens and cost from the usage ledger, as GET /v1/usage reports them. */
export function register(usage: Command): void {
  usage
    .option('--by <grouping>', `group by ${USAGE_GROUPINGS.join(', ')}`, 'total')
    .option('--from <day>', 'first budget day, e.g. 2030-01-01')
    .option('--to <day>', 'last budget day (inclusive)')
    .option('--character <id>', 'one character only')
    .option('--user <id>', 'one user only')
    .option('--json', 'print the report as JSON')
    .action(
      action(async (options: UsageOptions) => {
        const parsed = usageQuerySchema.safeParse({
          by: options.by,
          ...(options.from ? { from: options.from } : {}),
          ...(options.to ? { to: options.to } : {}),
          ...(options.character ? { character: options.character } : {}),
          ...(options.user ? { userId: options.user } : {}),
        });
        if (!parsed.success) {
          throw new ConfigError(
            parsed.error.issues.map((i) => ({
              file: 'carrier usage',
              path: `--${i.path[0] === 'userId' ? 'user' : String(i.path[0] ?? '')}`,
              message: i.message,
            })),
          );
        }
        const q = parsed.data;
        const rows = await withStore(async (store) => {
          // Not "(no turns in this range)" for a user who was never there: a bare id the API
          // stored as api:<tenant>:<id> is named, and one stored nowhere is said to be.
          if (q.userId) await requireUser(store, q.userId, q.character, USERS_HINT);
          return new SqlUsageRepository(store).summary(toSummaryQuery(q));
        });
        const report = usageReport(q, rows);
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : usageTable(report));
      }),
    );
}
