import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Native packages (sharp) cannot be bundled by esbuild: they ship a compiled binary per
 * platform, and Lambda runs linux-arm64 while this machine may not. They are installed once for
 * that platform into this folder (inside node_modules, so it is ignored and rebuilt with it) and
 * copied next to the bundle at synth, with no network and no Docker.
 */
export const LAMBDA_MODULES_DIR = 'node_modules/.lambda-linux-arm64';

export interface LambdaModules {
  /** The prepared node_modules folder to copy, when every module is there at the project's version. */
  nodeModules?: string;
  /** What is missing or stale, one line each; empty when ready. */
  problems: string[];
  /** The command that prepares them. */
  command: string;
}

/**
 * Checks that `names` are installed for linux-arm64 at the versions the project uses.
 *
 * @example
 * lambdaModules('.', ['sharp']).command;
 * // 'npm install --no-save --no-package-lock --prefix node_modules/.lambda-linux-arm64 --os=linux --cpu=arm64 --libc=glibc sharp@0.35.5'
 */
export function lambdaModules(root: string, names: string[]): LambdaModules {
  const wanted = names.map((name) => ({ name, version: versionIn(join(root, 'node_modules'), name) }));
  const command =
    `npm install --no-save --no-package-lock --prefix ${LAMBDA_MODULES_DIR} --os=linux --cpu=arm64 --libc=glibc ` +
    wanted.map((m) => (m.version ? `${m.name}@${m.version}` : m.name)).join(' ');
  const prepared = join(root, LAMBDA_MODULES_DIR, 'node_modules');
  const problems = wanted.flatMap(({ name, version }) => {
    const found = versionIn(prepared, name);
    if (!found) return [`${name} is not installed for linux-arm64 in ${LAMBDA_MODULES_DIR}`];
    if (version && found !== version) {
      return [`${name} for linux-arm64 is ${found} but the project uses ${version}`];
    }
    return [];
  });
  return { ...(problems.length ? {} : { nodeModules: prepared }), problems, command };
}

function versionIn(nodeModules: string, name: string): string | undefined {
  const file = join(nodeModules, name, 'package.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
}
