import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMigratedDataDir } from '#test/support/pglite.ts';
import { inProject, runCommand } from '#test/cli/in-process.ts';
import { register as registerChat } from '../../bin/commands/chat.ts';

const run = promisify(execFile);
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'carrier-memory-'));
  // Migrated already: the test is about the second process reading what the first stored.
  await seedMigratedDataDir(dataDir);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** `carrier chat` in a process of its own, with no keys: offline model, full-text recall. */
async function chat(message: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  Object.assign(env, { CARRIER_DATA_DIR: dataDir, CARRIER_MODEL: 'offline' });
  const { stdout } = await run(
    process.execPath,
    ['bin/carrier.mjs', 'chat', 'ada', '--conversation', 'c1', '--user', 'u1', '--message', message],
    { env, timeout: 90_000 },
  );
  return stdout;
}

describe('carrier chat across processes', () => {
  it('answers from what an earlier process stored', async () => {
    // The first chat in this process (it closes the store when it ends), the second in its own.
    const first = await inProject(
      process.cwd(),
      { CARRIER_DATA_DIR: dataDir, CARRIER_MODEL: 'offline', CARRIER_ENV_FILE: '/dev/null' },
      () =>
        runCommand(
          'chat',
          registerChat,
          'chat',
          'ada',
          '-c',
          'c1',
          '-u',
          'u1',
          '-m',
          'My favourite colour is teal',
        ),
    );
    expect(first).toMatchObject({ exitCode: undefined, stdout: '(offline) Noted.\n' });
    expect(await chat('What is my favourite colour?')).toContain('teal');
  }, 180_000);
});
