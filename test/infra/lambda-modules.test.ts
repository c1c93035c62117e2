import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDA_MODULES_DIR, lambdaModules, prepareLambdaModules } from '../../lib/config/lambda-modules.ts';

function install(nodeModules: string, name: string, manifest: Record<string, unknown>): string {
  mkdirSync(join(nodeModules, name), { recursive: true });
  writeFileSync(join(nodeModules, name, 'package.json'), JSON.stringify({ name, ...manifest }));
  return join(nodeModules, name);
}

/** A project with sharp 0.35.5 (needing detect-libc) installed for this machine. */
function project(sharpVersion = '0.35.5') {
  const root = mkdtempSync(join(tmpdir(), 'carrier-modules-'));
  const modules = join(root, 'node_modules');
  const sharp = install(modules, 'sharp', { version: sharpVersion, dependencies: { 'detect-libc': '^2' } });
  const libc = install(modules, 'detect-libc', { version: '2.1.2' });
  install(modules, '@img/sharp-linux-x64', { version: sharpVersion, os: ['linux'], cpu: ['x64'] });
  return { root, sharp, libc, prepared: join(root, LAMBDA_MODULES_DIR, 'node_modules') };
}

const COMMAND = `npm install --no-save --no-package-lock --prefix ${LAMBDA_MODULES_DIR} --os=linux --cpu=arm64 --libc=glibc sharp@0.35.5`;

describe('native modules for the Lambda platform', () => {
  it("ship the project's JavaScript and the prepared linux-arm64 binaries", () => {
    const { root, sharp, libc, prepared } = project();
    install(prepared, 'sharp', { version: '0.35.5' });
    const arm = install(prepared, '@img/sharp-linux-arm64', {
      version: '0.35.5',
      os: ['linux'],
      cpu: ['arm64'],
    });
    install(prepared, '@img/sharp-linuxmusl-arm64', {
      version: '0.35.5',
      os: ['linux'],
      cpu: ['arm64'],
      libc: ['musl'],
    });
    expect(lambdaModules(root, ['sharp'])).toEqual({
      copies: [
        [sharp, 'node_modules/sharp'],
        [libc, 'node_modules/detect-libc'],
        [arm, 'node_modules/@img/sharp-linux-arm64'],
      ],
      problems: [],
      command: COMMAND,
    });
  });

  it('say what is missing and give the command that installs it', () => {
    const { root, sharp, libc } = project();
    expect(lambdaModules(root, ['sharp'])).toEqual({
      copies: [
        [sharp, 'node_modules/sharp'],
        [libc, 'node_modules/detect-libc'],
      ],
      problems: [`sharp is not installed for linux-arm64 in ${LAMBDA_MODULES_DIR}`],
      command: COMMAND,
    });
  });

  it('refuse a stale install after the project upgrades', () => {
    const { root, prepared } = project('0.36.0');
    install(prepared, 'sharp', { version: '0.35.5' });
    expect(lambdaModules(root, ['sharp']).problems).toEqual([
      'sharp for linux-arm64 is 0.35.5 but the project uses 0.36.0',
    ]);
  });

  it('carry a nested dependency inside its package, not beside it', () => {
    const { root, sharp, libc } = project();
    install(join(sharp, 'node_modules'), 'semver', { version: '7.0.0' });
    writeFileSync(
      join(sharp, 'package.json'),
      JSON.stringify({
        name: 'sharp',
        version: '0.35.5',
        dependencies: { 'detect-libc': '^2', semver: '^7' },
      }),
    );
    expect(lambdaModules(root, ['sharp']).copies).toEqual([
      [sharp, 'node_modules/sharp'],
      [libc, 'node_modules/detect-libc'],
    ]);
  });

  it('leave the folder alone when fetching is off', () => {
    const { root } = project();
    expect(prepareLambdaModules(root, ['sharp'], { fetch: false }).problems).toHaveLength(1);
  });

  it('fail with npm’s reason and the command when the install cannot run', () => {
    const { root } = project();
    // npm itself, offline with an empty cache: it fails at once instead of reaching the registry.
    const env = {
      ...process.env,
      npm_config_offline: 'true',
      npm_config_cache: mkdtempSync(join(tmpdir(), 'carrier-npm-cache-')),
    };
    expect(() => prepareLambdaModules(root, ['sharp'], { fetch: true, env })).toThrow(
      new RegExp(
        `sharp for linux-arm64 could not be prepared .*ENOTCACHED.*run it by hand .*${COMMAND.replace(/[.^]/g, '\\$&')}`,
      ),
    );
  });
});
