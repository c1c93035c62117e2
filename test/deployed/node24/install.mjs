// `npm ci`/`npm install` run this (the project's postinstall): it installs Lambda's Node 24 into
// test/deployed/node24/node_modules from that folder's own lockfile. A package of its own because
// the `node-linux-*` packages link a `node` bin: as a dependency of the project, that bin would
// come first on PATH in every npm script and move the whole suite to Node 24.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const name = `node-${process.platform}-${process.arch}`;
const wanted = manifest.optionalDependencies[name];

if (!wanted) {
  console.warn(
    `carrier: there is no ${name} package for Lambda's Node 24 in test/deployed/node24/package.json; ` +
      'the deployed-shape tests (test/deployed/) will be skipped on this machine',
  );
} else if (installedVersion() !== wanted) {
  // npm ci: exactly the locked version, verified against the lockfile's integrity hash.
  execFileSync('npm', ['ci', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error'], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
}

function installedVersion() {
  const file = join(dir, 'node_modules', name, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
}
