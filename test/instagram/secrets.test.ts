import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { LocalSecretsFile, SecretsManagerWriter } from '#core/adapters/secrets/secret-writer.ts';

describe('secret writers', () => {
  it('local: merges one value into secrets.json, readable by its owner only', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'carrier-secrets-')), 'nested', 'secrets.json');
    const file = new LocalSecretsFile(path);
    expect(await file.read()).toEqual({});
    await file.write('OTHER', 'kept');
    await file.write('INSTAGRAM_ACCESS_TOKEN', 'new-token');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      OTHER: 'kept',
      INSTAGRAM_ACCESS_TOKEN: 'new-token',
    });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('local: names the file when it is not a JSON object', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'carrier-secrets-')), 'secrets.json');
    await writeFile(path, '[1,2]');
    await expect(new LocalSecretsFile(path).read()).rejects.toThrow(
      `${path}: expected a JSON object of NAME: value pairs`,
    );
  });

  it('local: names the file and the fix when it is not valid JSON', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'carrier-secrets-')), 'secrets.json');
    await writeFile(path, '{"INSTAGRAM_ACCESS_TOKEN": "tok",}');
    const file = new LocalSecretsFile(path);
    for (const attempt of [file.read(), file.write('INSTAGRAM_ACCESS_TOKEN', 'new')]) {
      const message = await attempt.then(
        () => '',
        (error: unknown) => (error as Error).message,
      );
      expect(message.startsWith(`${path}: not valid JSON (`)).toBe(true);
      expect(message).toMatch(
        /\); fix it to a JSON object of NAME: value pairs, or delete it and set the values in \.env$/,
      );
    }
  });

  it('Secrets Manager: puts a new version with one value changed and the others kept', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ OPENAI_API_KEY: 'sk', INSTAGRAM_ACCESS_TOKEN: 'old' }),
    });
    sm.on(PutSecretValueCommand).resolves({});
    const writer = new SecretsManagerWriter({
      secretId: 'arn:secret',
      client: new SecretsManagerClient({ region: 'eu-west-1' }),
    });
    await writer.write('INSTAGRAM_ACCESS_TOKEN', 'new');
    const put = sm.commandCalls(PutSecretValueCommand)[0]!.args[0].input;
    expect(put.SecretId).toBe('arn:secret');
    expect(JSON.parse(put.SecretString!)).toEqual({ OPENAI_API_KEY: 'sk', INSTAGRAM_ACCESS_TOKEN: 'new' });
    sm.restore();
  });

  it('Secrets Manager: refuses to overwrite a secret that is not a JSON object', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({ SecretString: '"plain"' });
    const writer = new SecretsManagerWriter({
      secretId: 'arn:secret',
      client: new SecretsManagerClient({ region: 'eu-west-1' }),
    });
    await expect(writer.write('X', 'y')).rejects.toThrow(
      'secret arn:secret: expected a JSON object of NAME: value pairs',
    );
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    sm.restore();
  });
});
