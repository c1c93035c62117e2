import { Command } from 'commander';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, vi } from 'vitest';
import { seedMigratedDataDir } from '#test/support/pglite.ts';
import { PROVIDER_KEYS } from './run-cli.ts';

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
}

/**
 * Runs one `carrier` command in this process (no child, no bundle): `register` is the command
 * module's export, `args` start with the command's name.
 *
 * @example
 * await runCommand('keys', registerKeys, 'keys', 'list');
 */
export async function runCommand(
  name: string,
  register: (command: Command) => void,
  ...args: string[]
): Promise<CommandResult> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  process.exitCode = undefined;
  try {
    const program = new Command('carrier').exitOverride();
    register(program.command(name));
    await program.parseAsync(['node', 'carrier', ...args]);
    return { stdout: out.join(''), stderr: err.join(''), exitCode: process.exitCode as number | undefined };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = undefined;
  }
}

/**
 * Runs `fn` with `text` as process.stdin (a command reading lines or JSON Lines from it).
 *
 * @example
 * await withStdin('hello\n', () => runCommand('chat', registerChat, 'chat', 'ada'));
 */
export async function withStdin<T>(text: string, fn: () => Promise<T>): Promise<T> {
  const stdin = vi
    .spyOn(process, 'stdin', 'get')
    .mockReturnValue(Readable.from([text]) as typeof process.stdin);
  try {
    return await fn();
  } finally {
    stdin.mockRestore();
  }
}

/**
 * Runs `fn` with `dir` as the working directory and `env` set over process.env (an undefined
 * value unsets the variable), both put back when it ends: a command in this process reads a
 * project's characters/ and config/ from its working directory, as `carrier` does from where it
 * is run. PROVIDER_KEYS that `env` does not give are unset meanwhile, as runCli leaves them out
 * of a child: a developer's OPENAI_API_KEY or DATABASE_URL never reaches a command under test.
 *
 * @example
 * await inProject(cwd, { CARRIER_DATA_DIR: dataDir }, () => runCommand('doctor', registerDoctor, 'doctor'));
 */
export async function inProject<T>(
  dir: string,
  env: Record<string, string | undefined>,
  fn: () => Promise<T>,
): Promise<T> {
  const cwd = process.cwd();
  const names = [...new Set([...PROVIDER_KEYS, ...Object.keys(env)])];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const name of names) {
      const value = values[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  set(env);
  process.chdir(dir);
  try {
    return await fn();
  } finally {
    process.chdir(cwd);
    set(saved);
  }
}

/**
 * A migrated CARRIER_DATA_DIR for the calling test file, set in process.env (with no .env
 * read) before its tests and restored after, with no provider keys or database URLs (the
 * commands run in this process: a developer's OPENAI_API_KEY must not reach a provider).
 * Returns a getter for the folder.
 */
export function useMigratedDataDir(prefix: string): () => string {
  const saved = { dataDir: process.env.CARRIER_DATA_DIR, envFile: process.env.CARRIER_ENV_FILE };
  let dataDir = '';
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), prefix));
    // Migrated already: these tests are about the command, not the store's first start.
    await seedMigratedDataDir(dataDir);
    process.env.CARRIER_DATA_DIR = dataDir;
    // The commands run in this process, in the repository root: keep a developer's ./.env out.
    process.env.CARRIER_ENV_FILE = '/dev/null';
    // Put back after the file by test/support/file-hygiene.ts.
    for (const name of PROVIDER_KEYS) delete process.env[name];
  });
  afterAll(() => {
    for (const [name, value] of [
      ['CARRIER_DATA_DIR', saved.dataDir],
      ['CARRIER_ENV_FILE', saved.envFile],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  return () => dataDir;
}
