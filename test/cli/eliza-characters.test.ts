import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANAKIN_REPLY, COSMOS_REPLY, writeElizaFolder } from '#test/characters/support/eliza-files.ts';
import { seedMigratedDataDir } from '#test/support/pglite.ts';
import { inProject, runCommand } from './in-process.ts';
import { runCli } from './run-cli.ts';
import { register as registerChat } from '../../bin/commands/chat.ts';
import { register as registerCharacters } from '../../bin/commands/characters.ts';

const COMMANDS = { chat: registerChat, characters: registerCharacters };

/**
 * `carrier <command> ...` in this process, in project `cwd`, with a migrated data dir of its
 * own and no .env, as runCli gives a real process.
 */
async function carrier(
  cwd: string,
  command: keyof typeof COMMANDS,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'carrier-cli-'));
  await seedMigratedDataDir(dataDir);
  const { stdout, stderr, exitCode } = await inProject(
    cwd,
    { CARRIER_DATA_DIR: dataDir, CARRIER_ENV_FILE: '/dev/null' },
    () => runCommand(command, COMMANDS[command], command, ...args),
  );
  return { code: exitCode ?? 0, stdout, stderr };
}

/** A project folder whose characters/ holds ElizaOS files dropped in as published. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'carrier-project-'));
  mkdirSync(join(root, 'characters'));
  writeElizaFolder(join(root, 'characters'));
  return root;
}

describe('ElizaOS character files dropped into characters/', () => {
  it('chats with a camelCase *.character.json file through its derived id', async () => {
    const cwd = project();
    const result = await carrier(cwd, 'chat', 'cosmoshelper', '--message', 'How do I stake ATOM?');
    expect(result).toMatchObject({ code: 0, stdout: `(offline) ${COSMOS_REPLY}\n` });
  }, 120_000);

  it('chats with an extension-less legacy file and validates the folder', async () => {
    const cwd = project();
    const chat = await carrier(cwd, 'chat', 'anakin-skywalker', '-m', 'Tell me about your empire.');
    expect(chat).toMatchObject({ code: 0, stdout: `(offline) ${ANAKIN_REPLY}\n` });
    expect(chat.stderr).toContain('anakin-skywalker uses anthropic but ANTHROPIC_API_KEY is not set');
    const validate = await carrier(cwd, 'characters', 'validate');
    expect(validate).toMatchObject({ code: 0, stdout: '', stderr: 'ok: characters\n' });
  }, 120_000);

  it('refuses a folder where two files give one id, in one line naming both', async () => {
    const cwd = project();
    copyFileSync(
      join(cwd, 'characters/cosmosHelper.character.json'),
      join(cwd, 'characters/CosmosHelper.json'),
    );
    const result = await carrier(cwd, 'chat', 'trump', '-m', 'hi');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'carrier: characters/cosmosHelper.character.json: gives character id "cosmoshelper", as does characters/CosmosHelper.json; rename or remove one of them\n',
    );
  }, 120_000);
});

describe('carrier characters import', () => {
  it('copies a folder in as <id>.json and reports each normalisation on stdout', async () => {
    const from = writeElizaFolder();
    const cwd = mkdtempSync(join(tmpdir(), 'carrier-project-'));
    const result = await carrier(cwd, 'characters', 'import', from);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      `${from}/Anakin Skywalker → characters/anakin-skywalker.json (id "anakin-skywalker": lower-cased, other characters as -)`,
      `${from}/cosmosHelper.character.json → characters/cosmoshelper.json (id "cosmoshelper": dropped .character.json, lower-cased; its own id b850bc30-45f8-0041-a00a-83df46d8555d kept, not used)`,
      `${from}/trump.character.json → characters/trump.json (id "trump": dropped .character.json)`,
    ]);
    expect(result.stderr).toBe(
      `ignored (not character files): ${['.DS_Store', 'README.md', 'knowledge', 'notes'].map((n) => `${from}/${n}`).join(', ')}\n`,
    );
    const chat = await carrier(cwd, 'chat', 'cosmoshelper', '-m', 'How do I stake ATOM?');
    expect(chat.stdout).toBe(`(offline) ${COSMOS_REPLY}\n`);
  }, 120_000);

  it('says that a running npm start serves the imported characters after a restart', async () => {
    const from = writeElizaFolder();
    const cwd = mkdtempSync(join(tmpdir(), 'carrier-project-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'carrier-cli-'));
    mkdirSync(join(dataDir, 'pglite'));
    // The lock a local stack leaves on its folder while it runs (this process stands in for it).
    writeFileSync(
      join(dataDir, 'pglite.lock'),
      JSON.stringify({ pid: process.pid, url: 'http://127.0.0.1:3000' }),
    );
    const env = { CARRIER_DATA_DIR: dataDir, CARRIER_ENV_FILE: '/dev/null' };
    const imported = () =>
      inProject(cwd, env, () =>
        runCommand(
          'characters',
          registerCharacters,
          'characters',
          'import',
          join(from, 'trump.character.json'),
        ),
      );
    const first = await imported();
    expect(first.exitCode ?? 0).toBe(0);
    expect(first.stderr).toBe(
      `carrier: npm start is running at http://127.0.0.1:3000 (pid ${process.pid}): restart it (Ctrl-C, then npm start) to serve the imported characters\n`,
    );
    // Nothing new the second time: nothing to restart for.
    expect((await imported()).stderr).toBe('');
  }, 120_000);

  it('names each problem in one line and copies nothing, as a real process exiting 1', async () => {
    const cwd = project();
    const result = await runCli(['characters', 'import', 'nowhere', '--to', 'imported'], {}, undefined, {
      cwd,
    });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(
      'carrier: nowhere: not found; give a character file or a folder of them\n' +
        'carrier: nothing imported; fix the files above and run the import again\n',
    );
  }, 120_000);
});
