import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDA_MODULES_DIR, lambdaModules } from '../../lib/config/lambda-modules.ts';

function install(nodeModules: string, name: string, version: string): void {
  mkdirSync(join(nodeModules, name), { recursive: true });
  writeFileSync(join(nodeModules, name, 'package.json'), JSON.stringify({ name, version }));
}

describe('native modules for the Lambda platform', () => {
  it('are ready when installed for linux-arm64 at the project’s version', () => {
    const root = mkdtempSync(join(tmpdir(), 'carrier-modules-'));
    install(join(root, 'node_modules'), 'sharp', '0.35.5');
    install(join(root, LAMBDA_MODULES_DIR, 'node_modules'), 'sharp', '0.35.5');
    expect(lambdaModules(root, ['sharp'])).toEqual({
      nodeModules: join(root, LAMBDA_MODULES_DIR, 'node_modules'),
      problems: [],
      command: `npm install --no-save --no-package-lock --prefix ${LAMBDA_MODULES_DIR} --os=linux --cpu=arm64 --libc=glibc sharp@0.35.5`,
    });
  });

  it('say what is missing and give the command that installs it', () => {
    const root = mkdtempSync(join(tmpdir(), 'carrier-modules-'));
    install(join(root, 'node_modules'), 'sharp', '0.35.5');
    const result = lambdaModules(root, ['sharp']);
    expect(result.nodeModules).toBeUndefined();
    expect(result.problems).toEqual([`sharp is not installed for linux-arm64 in ${LAMBDA_MODULES_DIR}`]);
    expect(result.command).toMatch(/--os=linux --cpu=arm64 .*sharp@0\.35\.5$/);
  });

  it('refuse a stale install after the project upgrades', () => {
    const root = mkdtempSync(join(tmpdir(), 'carrier-modules-'));
    install(join(root, 'node_modules'), 'sharp', '0.36.0');
    install(join(root, LAMBDA_MODULES_DIR, 'node_modules'), 'sharp', '0.35.5');
    expect(lambdaModules(root, ['sharp']).problems).toEqual([
      'sharp for linux-arm64 is 0.35.5 but the project uses 0.36.0',
    ]);
  });
});
