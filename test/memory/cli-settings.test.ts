import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMigratedDataDir } from '#test/support/pglite.ts';
import { inProject, runCommand } from '#test/cli/in-process.ts';
import { register as registerMemory } from '../../bin/commands/memory.ts';

const CARRIER = resolve('bin/carrier.mjs');

/** Settings that would send the CLI elsewhere than `.env` says; the child never sees them. */
const OUTSIDE = [
  'CARRIER_DATA_DIR',
  'CARRIER_ENV_FILE',
  'DATABASE_URL',
  'SUPABASE_URL',
  'SUPABASE_SERVICE_ROLE_KEY',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'ANTHROPIC_API_KEY',
];

// A project folder with the characters and a .env, and no config/mcp_servers.json.
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'carrier-settings-'));
  await symlink(resolve('characters'), join(project, 'characters'));
  await writeFile(join(project, '.env'), 'CARRIER_DATA_DIR=state-from-env\nCARRIER_MODEL=offline\n');
  // The store .env names, migrated already: this is about where the commands look, not the
  // store's first start (a fresh one ran initdb in the first command's process).
  await seedMigratedDataDir(join(project, 'state-from-env'));
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

/** `carrier memory ...` in this process, run from the project folder with none of OUTSIDE set. */
function memory(...args: string[]) {
  const unset = Object.fromEntries(OUTSIDE.map((name) => [name, undefined]));
  return inProject(project, unset, () => runCommand('memory', registerMemory, 'memory', ...args));
}

/** `carrier ...` as a process of its own, in the project folder, with none of OUTSIDE set. */
function carrier(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !OUTSIDE.includes(k)));
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CARRIER, ...args],
      { cwd: project, env, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('chat and memory commands', () => {
  it('chat runs without config/mcp_servers.json and remembers where .env says, where memory reads', async () => {
    const chat = await carrier('chat', 'ada', '--user', 'sam', '--message', 'My favourite colour is teal');
    expect(chat).toMatchObject({ code: 0, stdout: '(offline) Noted.\n' });

    // The chat's process has ended; memory, in this one, finds what it stored through .env.
    const list = await memory('list', 'ada', '--user', 'sam', '--type', 'message');
    expect(list.exitCode).toBeUndefined();
    expect(list.stdout).toContain('My favourite colour is teal');

    const stats = await memory('stats', 'ada');
    expect(stats.stdout).toContain(`store: pglite at ${join('state-from-env', 'pglite')}`);
  }, 120_000);
});
