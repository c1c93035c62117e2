import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '#test/fakes/mcp-everything.ts';
import { seedMigratedDataDir } from '#test/support/pglite.ts';
import { withoutProviderKeys } from '../cli/run-cli.ts';

const BIN = fileURLToPath(new URL('../../bin/carrier.mjs', import.meta.url));

describe('npm start', () => {
  it('serves the console from the CLI as it runs it (bundled), at the URL its banner prints', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'carrier-console-start-'));
    await seedMigratedDataDir(dataDir);
    const child = spawn(process.execPath, [BIN, 'dev', '--port', String(await freePort())], {
      env: {
        ...withoutProviderKeys(),
        CARRIER_DATA_DIR: dataDir,
        CARRIER_ENV_FILE: '/dev/null',
        CARRIER_MODEL: 'offline',
        CARRIER_DEV_API_KEY: '',
      },
    });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const found = /Console\s+(\S+)/.exec(out);
          if (found) resolve(found[1]!);
        });
        child.once('exit', (code) => reject(new Error(`carrier dev exited ${code}: ${out}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/console#key=ck_dev_/);
      const page = await fetch(url.replace(/#.*/, ''));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('/console/app.js');
      const view = await fetch(new URL('/console/views/chat.js', url));
      expect(view.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      // A stop that runs to its end: exit code 0, and the data folder's lock and socket gone
      // (the agents SDK's own SIGTERM listener used to exit first and leave them behind).
      expect(await exited).toBe(0);
    }
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);
    expect(existsSync(join(dataDir, 'pglite.sock'))).toBe(false);
  }, 60_000);
});
