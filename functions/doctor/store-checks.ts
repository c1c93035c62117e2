import { failed, messageOf, passed, ProbeError, skipped, type CheckResult } from './check.ts';
import { settingsHome } from './config-checks.ts';
import type { DoctorProbes, StoreFacts } from './probes.ts';

/**
 * The store the settings select: reachable, and migrated to exactly the versions this code
 * ships. The embedded PGlite is only looked at, never created or migrated here.
 *
 * @example
 * const { results, facts } = await checkStore(settings.env, { deployed: false, probe: probes.store });
 */
export async function checkStore(
  env: Record<string, string | undefined>,
  options: { deployed: boolean; probe: DoctorProbes['store'] },
): Promise<{ results: CheckResult[]; facts?: StoreFacts }> {
  const home = settingsHome(options.deployed);
  // A deployment never uses the embedded PGlite: this machine's .carrier/ says nothing about it.
  if (options.deployed && !env.DATABASE_URL && !env.SUPABASE_URL) {
    return {
      results: [
        skipped('database', 'no DATABASE_URL or SUPABASE_URL here: set it to check the deployed database'),
      ],
    };
  }
  let facts: StoreFacts;
  try {
    facts = await options.probe(env);
  } catch (error) {
    const kind = error instanceof ProbeError ? error.kind : 'unreachable';
    const fix = {
      unreachable: `check DATABASE_URL (or SUPABASE_URL) in ${home}, and that the database is up`,
      rejected: `check the credentials in DATABASE_URL or SUPABASE_SERVICE_ROLE_KEY in ${home}`,
      invalid: `correct the database settings in ${home}; see README, Settings`,
      missing: 'run `DATABASE_URL=<connection string> npx carrier memory init`',
      busy: 'let that command finish (or stop it), then run `npx carrier doctor` again',
    }[kind];
    return { results: [failed('database', messageOf(error), fix)] };
  }
  const at = `${facts.kind} at ${facts.where}`;
  if (!facts.exists) {
    return {
      results: [passed('database', `${at} does not exist yet; \`npm start\` creates and migrates it`)],
      facts,
    };
  }
  if (facts.heldBy) {
    return {
      results: [
        passed(
          'database',
          `${at} is open in the local stack at ${facts.heldBy.url} (pid ${facts.heldBy.pid}), which migrated it as it started`,
        ),
      ],
      facts,
    };
  }
  if (!facts.applied) {
    return {
      results: [
        passed(
          'database',
          `${at} answers; set DATABASE_URL to its connection string to check its migrations`,
        ),
      ],
      facts,
    };
  }
  const missing = facts.expected.filter((v) => !facts.applied!.includes(v));
  const unknown = facts.applied.filter((v) => !facts.expected.includes(v));
  const init =
    facts.kind === 'pglite'
      ? 'run `npx carrier memory init` (`npm start` also migrates the embedded store)'
      : 'run `DATABASE_URL=<connection string> npx carrier memory init`';
  const results: CheckResult[] = [];
  if (missing.length)
    results.push(
      failed(
        'database',
        `${at} is missing migration${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
        init,
      ),
    );
  if (unknown.length) {
    results.push(
      failed(
        'database',
        `${at} has migrations this code does not know (${unknown.join(', ')}): a newer Carrier migrated it`,
        'deploy the newer code, or point DATABASE_URL at the database this code belongs to',
      ),
    );
  }
  if (!results.length)
    results.push(passed('database', `${at}: all ${facts.expected.length} migrations applied`));
  return { results, facts };
}
