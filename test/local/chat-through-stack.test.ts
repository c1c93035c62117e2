import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedMigratedDataDir } from '#test/support/pglite.ts';
import { inProject, runCommand } from '../cli/in-process.ts';
import { runCli } from '../cli/run-cli.ts';
import { register as registerChat } from '../../bin/commands/chat.ts';
import { register as registerMemory } from '../../bin/commands/memory.ts';
import { testSettings, testStack } from './support/stack.ts';

describe('carrier chat while npm start holds the embedded store', () => {
  it('answers through the stack with the ids a direct chat uses, and other commands say who holds the store', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'carrier-chat-stack-'));
    await seedMigratedDataDir(dataDir);
    const t = await testStack({ settings: await testSettings({ CARRIER_DATA_DIR: dataDir }) });
    const env = { CARRIER_DATA_DIR: dataDir };
    // The other commands in this process, on the same data folder (no .env read).
    const here = { ...env, CARRIER_ENV_FILE: '/dev/null' };
    const memory = (...args: string[]) =>
      inProject(process.cwd(), here, () => runCommand('memory', registerMemory, 'memory', ...args));
    try {
      // A process of its own, as a second terminal would run it.
      const chat = await runCli(['chat', 'ada', '-m', 'my boat is called Teal', '-u', 'sam'], env);
      expect(chat).toMatchObject({ code: 0, stdout: 'echo: my boat is called Teal\n' });
      expect(chat.stderr).toBe(`carrier: talking through the local stack at ${t.stack.url}\n`);

      const unknown = await inProject(process.cwd(), here, () =>
        runCommand('chat', registerChat, 'chat', 'nobody', '-m', 'hi'),
      );
      expect(unknown.exitCode).toBe(1);
      expect(unknown.stderr.trim().split('\n').at(-1)).toMatch(/^carrier: unknown character "nobody"/);

      const list = await memory('list', 'ada', '--json');
      expect(list.exitCode).toBe(1);
      expect(list.stderr).toContain(
        `is in use by the local stack at ${t.stack.url} (pid ${process.pid}): PGlite allows one process at a time`,
      );
    } finally {
      await t.stack.stop();
    }
    expect(existsSync(join(dataDir, 'pglite.sock'))).toBe(false);
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);

    // The stack remembered as a direct chat would: the same user and conversation ids.
    const list = await memory('list', 'ada', '--user', 'sam', '--room', 'cli', '--json');
    expect(list.exitCode).toBeUndefined();
    expect(JSON.parse(list.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ text: 'my boat is called Teal' })]),
    );
  }, 120_000);
});
