import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const missing = () => join(mkdtempSync(join(tmpdir(), 'carrier-env-file-cli-')), 'nope.env');

describe('a CARRIER_ENV_FILE that does not exist', () => {
  it('stops a command in one line naming the file and the fix', async () => {
    const file = missing();
    const result = await runCli(['chat', 'ada', '--message', 'hi'], { CARRIER_ENV_FILE: file });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(
      `carrier: CARRIER_ENV_FILE=${file}: no such file; create it or unset CARRIER_ENV_FILE to read .env\n`,
    );
  });

  it('is the failed settings line of carrier doctor', async () => {
    const file = missing();
    const result = await runCli(['doctor'], { CARRIER_ENV_FILE: file });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `FAIL  settings: CARRIER_ENV_FILE=${file}: no such file; create it or unset CARRIER_ENV_FILE to read .env; fix: correct it in .env or the environment; see README, Settings\n`,
    );
  });
});
