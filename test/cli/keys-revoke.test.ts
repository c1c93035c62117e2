import { describe, expect, it } from 'vitest';
import { SqlApiKeyRepository } from '#core/adapters/store/api-keys.ts';
import { openStore } from '#core/adapters/store/open.ts';
import { runCommand, useMigratedDataDir } from './in-process.ts';
import { register as registerKeys } from '../../bin/commands/keys.ts';

const dataDir = useMigratedDataDir('carrier-keys-revoke-');
const carrier = (...args: string[]) => runCommand('keys', registerKeys, 'keys', ...args);

async function isLive(key: string): Promise<boolean> {
  const store = await openStore({ CARRIER_DATA_DIR: dataDir() }, { migrate: true });
  try {
    return (await new SqlApiKeyRepository(store).verify(key)) !== undefined;
  } finally {
    await store.close();
  }
}

describe('carrier keys revoke', () => {
  it('refuses a whole key whose secret is not the key its id names, and leaves that key alone', async () => {
    const key = (await carrier('create', '--name', 'a2')).stdout.trim();
    const id = key.split('_')[1]!;

    const result = await carrier('revoke', `ck_${id}_wrongsecret`);
    expect(result.stderr).toBe(
      `carrier: ck_${id.slice(0, 4)}…: not the key ${id} (its secret does not match); pass the key id alone to revoke key ${id}\n`,
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).not.toContain('wrongsecret');
    expect(await isLive(key)).toBe(true);
    // A well-formed key with another secret is refused alike.
    const other = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await carrier('revoke', other)).exitCode).toBe(1);
    expect(await isLive(key)).toBe(true);
  });

  it('says a key was already revoked, and when, and still exits 0', async () => {
    const key = (await carrier('create', '--name', 'a2')).stdout.trim();
    const id = key.split('_')[1]!;
    const first = await carrier('revoke', key);
    expect(first).toMatchObject({ stderr: `revoked ${id} "a2"\n`, exitCode: undefined });

    const [revoked] = (await carrier('list')).stdout
      .split('\n')
      .filter((line) => line.startsWith(id))
      .map((line) => /\trevoked (\S+)$/.exec(line)?.[1]);
    expect(revoked).toMatch(/^\d{4}-\d\d-\d\dT/);
    for (const again of [id, key]) {
      expect(await carrier('revoke', again)).toMatchObject({
        stderr: `key ${id} "a2" was already revoked on ${revoked}\n`,
        exitCode: undefined,
      });
    }
  });

  it('fails on an unknown id, naming how to list the keys', async () => {
    const result = await carrier('revoke', 'ffffffffffff');
    expect(result).toMatchObject({
      stderr: 'carrier: no API key with id ffffffffffff; see `carrier keys list`\n',
      exitCode: 1,
    });
  });
});
