import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = 'test/deployed/node24';

/** Lambda's runtime: the Node 24 that test/deployed/node24/install.mjs installs (postinstall). */
export type LambdaNode = { path: string; version: string } | { missing: string };

/**
 * Finds Lambda's Node 24 for this machine by path (test/deployed/node24/node_modules/node-<platform>-<arch>),
 * so no system install is needed; `missing` says why it is not there and how to install it.
 *
 * @example
 * const node = lambdaNode();
 * if ('path' in node) spawn(node.path, ['bootstrap.mjs']);
 */
export function lambdaNode(): LambdaNode {
  const name = `node-${process.platform}-${process.arch}`;
  const manifest = JSON.parse(readFileSync(join(DIR, 'package.json'), 'utf8')) as {
    optionalDependencies: Record<string, string>;
  };
  if (!manifest.optionalDependencies[name]) {
    return {
      missing: `Lambda's Node 24 has no ${name} package in ${DIR}/package.json (add one for this platform)`,
    };
  }
  const bin = join(DIR, 'node_modules', name, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(bin)) {
    return { missing: `${name} is not installed in ${DIR}: run npm ci (its postinstall installs it)` };
  }
  const { version } = JSON.parse(readFileSync(join(DIR, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { path: join(process.cwd(), bin), version };
}
