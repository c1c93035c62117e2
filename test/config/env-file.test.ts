import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSettings } from '#core/config/settings.ts';
import { ConfigError } from '#core/errors.ts';

const scratch = () => mkdtemp(join(tmpdir(), 'carrier-env-file-'));

/** The one line buildSettings refuses `env` with, or undefined when it loads. */
async function refusal(env: NodeJS.ProcessEnv, envFile?: string): Promise<string | undefined> {
  const error = await buildSettings({ env, ...(envFile === undefined ? {} : { envFile }) }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) return undefined;
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
}

describe('the env file', () => {
  it('refuses a CARRIER_ENV_FILE that does not exist, in one line naming it and the fix', async () => {
    const file = join(await scratch(), 'nope.env');
    expect(await refusal({ CARRIER_ENV_FILE: file })).toBe(
      `CARRIER_ENV_FILE=${file}: no such file; create it or unset CARRIER_ENV_FILE to read .env`,
    );
  });

  it('refuses a CARRIER_ENV_FILE that cannot be read, naming the reason', async () => {
    const dir = await scratch();
    expect(await refusal({ CARRIER_ENV_FILE: dir })).toBe(
      `CARRIER_ENV_FILE=${dir}: cannot read it (EISDIR); make it a readable file or unset CARRIER_ENV_FILE to read .env`,
    );
  });

  // A folder where the file should be: unreadable as a file for every user, root included.
  it('refuses an unreadable file even where a missing one is fine', async () => {
    const folder = join(await scratch(), '.env');
    await mkdir(folder);
    expect(await refusal({}, folder)).toBe(`${folder}: cannot read it (EISDIR); make it a readable file`);
  });

  it('reads no file from /dev/null, the way to say "no env file" with the variable', async () => {
    const s = await buildSettings({ env: { CARRIER_ENV_FILE: '/dev/null' } });
    expect(s.port).toBe(3000);
    expect(s.envFile).toEqual({ path: '/dev/null', found: true });
  });

  it('keeps a missing envFile optional, as the default .env is, and records that none was read', async () => {
    const file = join(await scratch(), 'missing', '.env');
    const s = await buildSettings({ env: { CARRIER_ENV_FILE: '/named/but/overridden.env' }, envFile: file });
    expect(s.envFile).toEqual({ path: file, found: false });
  });

  it('records the file it read, and none in Lambda', async () => {
    const dir = await scratch();
    await mkdir(join(dir, 'sub'));
    const file = join(dir, 'sub', 'other.env');
    await writeFile(file, 'PORT=4100\n');
    const s = await buildSettings({ env: { CARRIER_ENV_FILE: file } });
    expect(s).toMatchObject({ port: 4100, envFile: { path: file, found: true } });
    const lambda = await buildSettings({
      env: { AWS_LAMBDA_FUNCTION_NAME: 'runner', CARRIER_ENV_FILE: file },
    });
    expect(lambda.envFile).toBeUndefined();
  });
});
