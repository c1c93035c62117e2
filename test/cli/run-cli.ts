import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Keys that would make the CLI reach a real provider; tests always run without them. */
const PROVIDER_KEYS = [
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'ANTHROPIC_API_KEY',
  'DATABASE_URL',
  'SUPABASE_URL',
];

/** Runs `node bin/carrier.mjs ...args` in a fresh process with no provider keys and its own data dir. */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliResult> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !PROVIDER_KEYS.includes(k)));
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['bin/carrier.mjs', ...args],
      {
        env: { ...clean, CARRIER_DATA_DIR: mkdtempSync(join(tmpdir(), 'carrier-cli-')), ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}
