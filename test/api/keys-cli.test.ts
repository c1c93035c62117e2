import { describe, expect, it } from 'vitest';
import { SqlApiKeyRepository } from '#core/adapters/store/api-keys.ts';
import { openStore } from '#core/adapters/store/open.ts';
import { runCommand, useMigratedDataDir } from '../cli/in-process.ts';
import { register as registerKeys } from '../../bin/commands/keys.ts';

const dataDir = useMigratedDataDir('carrier-keys-');
const carrier = (...args: string[]) => runCommand('keys', registerKeys, ...args);

describe('carrier keys', () => {
  it('creates a key shown once, lists it without the secret, and revokes it', async () => {
    const created = await carrier('keys', 'create', '--name', 'ci', '--scope', 'messages', 'agents:read');
    const key = created.stdout.trim();
    expect(key).toMatch(/^ck_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('"ci" with messages, agents:read');
    const id = key.split('_')[1]!;

    const listed = await carrier('keys', 'list');
    expect(listed.stdout).toBe(`${id}\tci\tmessages,agents:read\tlast used never\n`);
    expect(listed.stdout).not.toContain(key);

    expect((await carrier('keys', 'revoke', id)).stderr).toBe(`revoked ${id} "ci"\n`);
    const store = await openStore({ CARRIER_DATA_DIR: dataDir() }, { migrate: true });
    try {
      expect(await new SqlApiKeyRepository(store).verify(key)).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('names the valid scopes when given an unknown one, and fails', async () => {
    const result = await carrier('keys', 'create', '--name', 'x', '--scope', 'root');
    expect(result.stderr).toBe(
      'carrier: unknown scope root; scopes are agents:read, messages, memories:read, memories:write, posts, usage:read, *\n',
    );
    expect(result.exitCode).toBe(1);
  });

  it('says which id is unknown when revoking', async () => {
    const result = await carrier('keys', 'revoke', 'abc');
    expect(result.stderr).toBe('carrier: no API key with id abc; see `carrier keys list`\n');
    expect(result.exitCode).toBe(1);
  });

  it('revokes by the whole key and never prints its secret', async () => {
    const created = await carrier('keys', 'create', '--name', 'pasted');
    const key = created.stdout.trim();
    const id = key.split('_')[1]!;
    const secret = key.slice(`ck_${id}_`.length);

    const revoked = await carrier('keys', 'revoke', key);
    expect(revoked.stderr).toBe(`revoked ${id} "pasted"\n`);
    const unknown = await carrier('keys', 'revoke', `ck_ffffffffffff_${secret}`);
    expect(unknown.stderr).toBe('carrier: no API key with id ffffffffffff; see `carrier keys list`\n');
    expect(revoked.stderr + unknown.stderr).not.toContain(secret);
  });
});
