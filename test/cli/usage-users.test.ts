import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '#core/adapters/store/open.ts';
import { SqlUsageRepository } from '#core/adapters/store/usage.ts';
import { register as registerUsage } from '../../bin/commands/usage.ts';
import { runCommand, useMigratedDataDir } from './in-process.ts';

const dataDir = useMigratedDataDir('carrier-usage-users-');

/** `carrier usage ...` in this process, with the exit code a process would give. */
async function usage(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { stdout, stderr, exitCode } = await runCommand('usage', registerUsage, 'usage', ...args);
  return { code: exitCode ?? 0, stdout, stderr };
}

/** What a refused command gives: exit 1, one line on stderr, nothing on stdout. */
const refused = (line: string) => ({ code: 1, stdout: '', stderr: `${line}\n` });
const NOTHING = 'nothing is stored for them; `carrier usage --by user` lists the users with turns';

beforeAll(async () => {
  // One turn of the API's `sam`, stored under its key's tenant as the runner stores it.
  const store = await openStore({ CARRIER_DATA_DIR: dataDir() });
  try {
    await new SqlUsageRepository(store).reserve({
      turnId: 't1',
      agentId: 'ada',
      userId: 'api:35e9fedca937:sam',
      day: '2030-01-01',
      provider: 'openai',
      model: 'gpt-4.1-mini',
      reserveMicroUsd: 900,
    });
  } finally {
    await store.close();
  }
});

describe('carrier usage --user', () => {
  it('names the stored id for a bare one the API stored under its tenant, instead of "no turns"', async () => {
    expect(await usage('--user', 'sam')).toEqual(
      refused(
        'carrier: no user "sam"; did you mean api:35e9fedca937:sam (API key tenant 35e9fedca937)? pass it with --user',
      ),
    );
    expect((await usage('--user', 'sam', '--character', 'ada')).stderr).toMatch(
      /^carrier: no user "sam" for ada; did you mean api:35e9fedca937:sam/,
    );
  });

  it('says there is no such user when nothing is stored for them', async () => {
    expect(await usage('--user', 'ghost')).toEqual(refused(`carrier: no user "ghost": ${NOTHING}`));
    expect(await usage('--user', 'api:35e9fedca937:sam', '--character', 'juniper')).toEqual(
      refused(`carrier: no user "api:35e9fedca937:sam" for juniper: ${NOTHING}`),
    );
  });

  it('reports the stored id, and an empty range of a known user as before', async () => {
    const all = await usage('--user', 'api:35e9fedca937:sam', '--json');
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toMatchObject({ rows: [expect.objectContaining({ turns: 1 })] });
    expect(await usage('--user', 'api:35e9fedca937:sam', '--from', '2031-01-01')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('(no turns in this range)'),
    });
  });
});
