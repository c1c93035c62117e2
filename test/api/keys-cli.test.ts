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
    const id = key.split('_')[1]!;
    // By default a key is its own tenant.
    expect(created.stderr).toContain(`"ci" in tenant ${id} with messages, agents:read`);

    const listed = await carrier('keys', 'list');
    expect(listed.stdout).toBe(
      `${id}\tci\t${id}\tmessages,agents:read\trate default/min, burst default, in flight default\tlast used never\n`,
    );
    expect(listed.stdout).not.toContain(key);

    expect((await carrier('keys', 'revoke', id)).stderr).toBe(`revoked ${id} "ci"\n`);
    const store = await openStore({ CARRIER_DATA_DIR: dataDir() }, { migrate: true });
    try {
      expect(await new SqlApiKeyRepository(store).verify(key)).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('puts a key in a named tenant with limits of its own, changes them and puts one back to the default', async () => {
    const created = await carrier(
      'keys',
      'create',
      '--name',
      'rotated',
      '--tenant',
      'acme',
      '--rate',
      '30',
      '--max-in-flight',
      '4',
    );
    const id = created.stdout.trim().split('_')[1]!;
    expect(created.stderr).toContain('"rotated" in tenant acme');
    const changed = await carrier('keys', 'limits', id, '--burst', '9', '--rate', 'default');
    expect(changed.stderr).toBe(`${id} "rotated": rate default/min, burst 9, in flight 4\n`);
    const store = await openStore({ CARRIER_DATA_DIR: dataDir() }, { migrate: true });
    try {
      expect((await new SqlApiKeyRepository(store).list()).find((k) => k.id === id)).toMatchObject({
        tenant: 'acme',
        limits: { burst: 9, maxInFlight: 4 },
      });
    } finally {
      await store.close();
    }
  });

  it('refuses a tenant name that could not end a stored id, and a limit that is not a number', async () => {
    const tenant = await carrier('keys', 'create', '--name', 'x', '--tenant', 'Acme:Corp');
    expect(tenant.stderr).toMatch(/^carrier: tenant "Acme:Corp" is not valid: use 1-32 lower-case letters/);
    expect(tenant.exitCode).toBe(1);
    const rate = await carrier('keys', 'create', '--name', 'x', '--rate', 'fast');
    expect(rate.stderr).toBe('carrier: --rate must be a whole number, got "fast"\n');
  });

  it('names the valid scopes when given an unknown one, and fails', async () => {
    const result = await carrier('keys', 'create', '--name', 'x', '--scope', 'root');
    expect(result.stderr).toBe(
      'carrier: unknown scope root; scopes are agents:read, messages, memories:read, memories:write, posts, schedules, usage:read, *\n',
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
