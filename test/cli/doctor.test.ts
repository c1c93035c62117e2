import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '#test/fakes/mcp-everything.ts';
import { seedMigratedDataDir } from '#test/support/pglite.ts';
import { inProject, runCommand } from './in-process.ts';
import { runCli } from './run-cli.ts';
import { register as registerDoctor } from '../../bin/commands/doctor.ts';

/** A project with one offline character and nothing else configured. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'carrier-doctor-cli-'));
  mkdirSync(join(root, 'characters'));
  writeFileSync(
    join(root, 'characters/echo.json'),
    JSON.stringify({ name: 'Echo', modelProvider: 'offline' }),
  );
  return root;
}

/**
 * `carrier doctor ...` in this process, in project `cwd`, with its own data dir (a migrated one,
 * or an empty one with `fresh`) and no .env, as runCli gives a real process.
 */
async function doctor(
  args: string[],
  env: Record<string, string> = {},
  options: { cwd?: string; fresh?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'carrier-doctor-data-'));
  if (!options.fresh) await seedMigratedDataDir(dataDir);
  const { stdout, stderr, exitCode } = await inProject(
    options.cwd ?? process.cwd(),
    { CARRIER_DATA_DIR: dataDir, CARRIER_ENV_FILE: '/dev/null', ...env },
    () => runCommand('doctor', registerDoctor, 'doctor', ...args),
  );
  return { code: exitCode ?? 0, stdout, stderr };
}

describe('carrier doctor', () => {
  it('prints one line per check and exits 0 when nothing is wrong, as a real process', async () => {
    const cwd = project();
    // CARRIER_ENV_FILE unset: the project has no .env (nor .env.example), and the line says so.
    const result = await runCli(['doctor'], { CARRIER_ENV_FILE: '' }, undefined, { cwd, fresh: true });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      'ok    settings: read from the environment only (no .env here)',
      'skip  mcp config: config/mcp_servers.json does not exist: no MCP servers',
      'ok    characters: echo',
      'ok    instagram settings',
      expect.stringMatching(
        /^ok {4}database: pglite at .*pglite does not exist yet; `npm start` creates and migrates it$/,
      ),
      'ok    model echo: the offline model (no key needed)',
      'skip  discord echo: not on Discord (no DISCORD_ECHO_PUBLIC_KEY)',
      'skip  ftp: not configured (FTP_SERVER and HTTP_SERVER unset): posts cannot be hosted',
      'skip  instagram: no account configured (INSTAGRAM_ACCOUNT_ID and INSTAGRAM_ACCESS_TOKEN unset)',
    ]);
    expect(result.stderr).toBe('doctor: all 5 checks passed\n');
  }, 120_000);

  it('exits 1 and, with --json, gives scripts each check with its problem and fix', async () => {
    const port = await freePort();
    const result = await doctor(
      ['--json'],
      {
        FTP_SERVER: '127.0.0.1',
        FTP_PORT: String(port),
        FTP_USERNAME: 'carrier',
        FTP_PASSWORD: 'secret',
        HTTP_SERVER: 'http://127.0.0.1:9/media',
      },
      { cwd: project(), fresh: true },
    );
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; problems: number; checks: unknown[] };
    expect(report).toMatchObject({ ok: false, problems: 1 });
    expect(report.checks).toContainEqual({
      name: 'ftp',
      ok: false,
      problem: `cannot connect to 127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port} (control socket))`,
      fix: 'check FTP_SERVER and FTP_PORT in .env or the environment, and that the server is up',
    });
  }, 120_000);

  it('names an unknown environment as a failed check with its fix', async () => {
    const result = await doctor(['--env', 'nope'], {}, { cwd: project() });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      'FAIL  environment nope: config/environments/nope.json: unknown environment "nope"; known: none (create the file to add one); fix: correct it; `npx cdk synth -c env=nope` checks the same way\n',
    );
  }, 120_000);

  it('refuses a timeout that is not a number in one line', async () => {
    const result = await doctor(['--timeout', 'soon']);
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr:
        'carrier: --timeout soon: expected milliseconds, a whole number from 100, e.g. --timeout 10000\n',
    });
  }, 120_000);
});
