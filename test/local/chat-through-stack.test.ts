import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedMigratedDataDir } from '#test/support/pglite.ts';
import { runCli } from '../cli/run-cli.ts';
import { testSettings, testStack } from './support/stack.ts';

describe('carrier chat while npm start holds the embedded store', () => {
  it('answers through the stack with the ids a direct chat uses, and other commands say who holds the store', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'carrier-chat-stack-'));
    await seedMigratedDataDir(dataDir);
    const t = await testStack({ settings: await testSettings({ CARRIER_DATA_DIR: dataDir }) });
    const env = { CARRIER_DATA_DIR: dataDir };
    try {
      const chat = await runCli(['chat', 'ada', '-m', 'my boat is called Teal', '-u', 'sam'], env);
      expect(chat).toMatchObject({ code: 0, stdout: 'echo: my boat is called Teal\n' });
      expect(chat.stderr).toBe(`carrier: talking through the local stack at ${t.stack.url}\n`);

      const unknown = await runCli(['chat', 'nobody', '-m', 'hi'], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr.trim().split('\n').at(-1)).toMatch(/^carrier: unknown character "nobody"/);

      const list = await runCli(['memory', 'list', 'ada', '--json'], env);
      expect(list.code).toBe(1);
      expect(list.stderr).toContain(
        `is in use by the local stack at ${t.stack.url} (pid ${process.pid}): PGlite allows one process at a time`,
      );
    } finally {
      await t.stack.stop();
    }
    expect(existsSync(join(dataDir, 'pglite.sock'))).toBe(false);
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);

    // The stack remembered as a direct chat would: the same user and conversation ids.
    const list = await runCli(['memory', 'list', 'ada', '--user', 'sam', '--room', 'cli', '--json'], {
      CARRIER_DATA_DIR: dataDir,
    });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ text: 'my boat is called Teal' })]),
    );
  }, 120_000);
});
