import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '#core/wiring/settings.ts';
import { readSecretsManager } from '#core/adapters/secrets/secrets-manager.ts';
import { ConfigError } from '#core/errors.ts';

describe('loadSettings', () => {
  it('gives defaults when nothing is set', async () => {
    const s = await loadSettings({ env: {}, envFile: '/nonexistent/.env' });
    expect(s).toMatchObject({
      runtime: 'local',
      port: 3000,
      dataDir: '.carrier',
      maxReceiveCount: 5,
      turnLeaseSeconds: 180,
      logLevel: 'INFO',
    });
  });

  it('reads .env locally and lets the process environment win over it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'carrier-settings-'));
    const file = join(dir, '.env');
    await writeFile(file, 'PORT=4000\nCARRIER_DATA_DIR=/tmp/x\nDISCORD_ADA_PUBLIC_KEY=abc\n');
    const s = await loadSettings({ env: { PORT: '5000' }, envFile: file });
    expect(s.port).toBe(5000);
    expect(s.dataDir).toBe('/tmp/x');
    expect(s.env.DISCORD_ADA_PUBLIC_KEY).toBe('abc');
  });

  it('reads the file CARRIER_ENV_FILE names instead of ./.env', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'carrier-settings-'));
    const file = join(dir, 'other.env');
    await writeFile(file, 'PORT=4100\n');
    expect((await loadSettings({ env: { CARRIER_ENV_FILE: file } })).port).toBe(4100);
    // A missing CARRIER_ENV_FILE is refused (test/config/env-file.test.ts); an empty one reads none.
    const none = await loadSettings({ env: { CARRIER_ENV_FILE: '/dev/null' } });
    expect(none.port).toBe(3000);
  });

  it('ignores .env in Lambda and lays the Secrets Manager JSON over the environment', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'carrier-settings-'));
    const file = join(dir, '.env');
    await writeFile(file, 'CARRIER_WEBHOOK_SECRET=from-the-dotenv-file\n');
    const arns: string[] = [];
    const s = await loadSettings({
      env: { AWS_LAMBDA_FUNCTION_NAME: 'runner', CARRIER_SECRET_ARN: 'arn:secret', LOG_LEVEL: 'debug' },
      envFile: file,
      readSecret: async (arn) => {
        arns.push(arn);
        return { CARRIER_WEBHOOK_SECRET: 'from-secrets-manager', DISCORD_API_TOKEN: 'bot' };
      },
    });
    expect(arns).toEqual(['arn:secret']);
    expect(s).toMatchObject({ runtime: 'lambda', webhookSecret: 'from-secrets-manager', logLevel: 'DEBUG' });
    expect(s.env.DISCORD_API_TOKEN).toBe('bot');
  });

  it('reads only the secrets a function is given, each over the last', async () => {
    const store: Record<string, Record<string, string>> = {
      'arn:database': { DATABASE_URL: 'postgres://db.example/carrier' },
      'arn:webhooks': { CARRIER_WEBHOOK_SECRET: 'from-the-webhooks-secret' },
    };
    const read: string[] = [];
    const s = await loadSettings({
      env: { AWS_LAMBDA_FUNCTION_NAME: 'dead-letters', CARRIER_SECRET_ARNS: 'arn:database, arn:webhooks' },
      readSecret: async (arn) => {
        read.push(arn);
        return store[arn]!;
      },
    });
    expect(read.sort()).toEqual(['arn:database', 'arn:webhooks']);
    expect(s).toMatchObject({
      databaseUrl: 'postgres://db.example/carrier',
      webhookSecret: 'from-the-webhooks-secret',
    });
    expect(s.env.OPENAI_API_KEY).toBeUndefined();
  });

  it('rejects bad values with one line per variable', async () => {
    const error = await loadSettings({
      env: { PORT: 'eighty', CARRIER_MAX_RECEIVE_COUNT: '0', CARRIER_WEBHOOK_SECRET: 'short' },
      envFile: '/nonexistent/.env',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\.env or environment: PORT: /);
    expect((error as ConfigError).message).toContain('CARRIER_WEBHOOK_SECRET: use at least 16 characters');
  });
});

describe('readSecretsManager', () => {
  it('reads the secret JSON through Powertools with the injected client', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({ SecretString: '{"OPENAI_API_KEY":"sk-test"}' });
    const value = await readSecretsManager(
      'arn:aws:secretsmanager:x:1:secret:carrier',
      new SecretsManagerClient({}),
    );
    expect(value).toEqual({ OPENAI_API_KEY: 'sk-test' });
    expect(sm.commandCalls(GetSecretValueCommand)[0]!.args[0].input.SecretId).toBe(
      'arn:aws:secretsmanager:x:1:secret:carrier',
    );
    sm.restore();
  });

  it('refuses a secret that is not a JSON object', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({ SecretString: '["a"]' });
    await expect(readSecretsManager('arn:list', new SecretsManagerClient({}))).rejects.toThrow(
      'secret arn:list: expected a JSON object of NAME: value pairs',
    );
    sm.restore();
  });
});
