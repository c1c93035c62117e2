import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedMigratedDataDir } from '#test/support/pglite.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Variables that would make code under test reach a real provider or a developer's database;
 * tests always run without them (the CLI's children and in-process handlers alike).
 */
export const PROVIDER_KEYS = [
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'DATABASE_URL',
  'SUPABASE_URL',
  'SUPABASE_SERVICE_ROLE_KEY',
];

/** The process environment without PROVIDER_KEYS. */
export function withoutProviderKeys(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (e): e is [string, string] => e[1] !== undefined && !PROVIDER_KEYS.includes(e[0]),
    ),
  );
}

/** Longer than any command takes on a loaded machine, shorter than the tests that run two. */
const COMMAND_TIMEOUT_MS = 50_000;

const BIN = fileURLToPath(new URL('../../bin/carrier.mjs', import.meta.url));

/**
 * Runs `node bin/carrier.mjs ...args` in a fresh process with no provider keys, its own data
 * dir, and no .env: it runs in the repository root (or `cwd`, a project folder of the test's
 * own), where a developer's ./.env would be read. The data dir holds an already migrated
 * PGlite (a copy, so the command skips initdb) unless `fresh` asks for an empty one.
 */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
  options: { cwd?: string; fresh?: boolean } = {},
): Promise<CliResult> {
  const clean = withoutProviderKeys();
  const dataDir = mkdtempSync(join(tmpdir(), 'carrier-cli-'));
  if (!options.fresh && !env.CARRIER_DATA_DIR) await seedMigratedDataDir(dataDir);
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        ...(options.cwd ? { cwd: options.cwd } : {}),
        env: {
          ...clean,
          CARRIER_DATA_DIR: dataDir,
          CARRIER_ENV_FILE: '/dev/null',
          ...env,
        },
        timeout: COMMAND_TIMEOUT_MS,
        // A hung command must end, and say it was the command, not the test, that took so long.
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        if (error?.killed) {
          stderr += `\nrunCli: \`carrier ${args.join(' ')}\` was killed after ${COMMAND_TIMEOUT_MS / 1000} s\n`;
        }
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}
