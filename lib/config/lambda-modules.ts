import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/**
 * Native packages (sharp) cannot be bundled by esbuild: they ship a compiled binary per
 * platform, and Lambda runs linux-arm64 while this machine may not. Their JavaScript is copied
 * next to the bundle from the project's own node_modules (the versions the tests ran); their
 * linux-arm64 binary packages come from this folder (inside node_modules, so it is ignored and
 * rebuilt with it), which a bundling synth fills with one `npm install` when it is missing or
 * stale. No Docker; synth is offline once the folder is there.
 */
export const LAMBDA_MODULES_DIR = 'node_modules/.lambda-linux-arm64';

export interface LambdaModules {
  /** Folders to copy into the asset: [absolute source, path inside the asset]. */
  copies: Array<[from: string, to: string]>;
  /** What is missing or stale, one line each; empty when ready. */
  problems: string[];
  /** The command that prepares the linux-arm64 binaries. */
  command: string;
}

/**
 * What the asset of a function with native `names` needs: each package and its dependencies
 * from the project's node_modules, and the linux-arm64 binary packages from LAMBDA_MODULES_DIR
 * when they are there at the project's version.
 *
 * @example
 * lambdaModules('.', ['sharp']).command;
 * // 'npm install --no-save --no-package-lock --prefix node_modules/.lambda-linux-arm64 --os=linux --cpu=arm64 --libc=glibc sharp@0.35.5'
 */
export function lambdaModules(root: string, names: string[]): LambdaModules {
  const problems: string[] = [];
  const closure = packageClosure(root, names, problems);
  const wanted = names.map((name) => ({ name, version: closure.get(name)?.version }));
  const command =
    `npm install --no-save --no-package-lock --prefix ${LAMBDA_MODULES_DIR} --os=linux --cpu=arm64 --libc=glibc ` +
    wanted.map((m) => (m.version ? `${m.name}@${m.version}` : m.name)).join(' ');
  const prepared = join(root, LAMBDA_MODULES_DIR, 'node_modules');
  for (const { name, version } of wanted) {
    const found = versionOf(join(prepared, name));
    if (!found) problems.push(`${name} is not installed for linux-arm64 in ${LAMBDA_MODULES_DIR}`);
    else if (version && found !== version) {
      problems.push(`${name} for linux-arm64 is ${found} but the project uses ${version}`);
    }
  }
  const copies: LambdaModules['copies'] = [...closure.values()].map((p) => [p.dir, relative(root, p.dir)]);
  if (!problems.length) {
    for (const dir of platformPackages(prepared, 'linux', 'arm64')) {
      copies.push([dir, join('node_modules', relative(prepared, dir))]);
    }
  }
  return { copies, problems, command };
}

/**
 * lambdaModules, and when something is missing and `fetch` is on, runs its command once (the
 * npm registry is needed only then) and looks again. A failed install throws with npm's reason.
 *
 * @example
 * const modules = prepareLambdaModules('.', ['sharp'], { fetch: true });
 */
export function prepareLambdaModules(
  root: string,
  names: string[],
  options: { fetch: boolean; env?: NodeJS.ProcessEnv },
): LambdaModules {
  const first = lambdaModules(root, names);
  if (!first.problems.length || !options.fetch) return first;
  const [npm, ...args] = first.command.split(' ');
  const run = spawnSync(npm!, args, {
    cwd: root,
    env: options.env ?? process.env,
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  const again = run.status === 0 ? lambdaModules(root, names) : undefined;
  if (!again || again.problems.length) {
    const why = (run.stderr || run.error?.message || '').trim().split('\n').slice(-3).join(' ');
    throw new Error(
      `${names.join(', ')} for linux-arm64 could not be prepared (${[first.problems.join('; '), why].filter(Boolean).join(': ')}); ` +
        `run it by hand where the npm registry is reachable: ${first.command}`,
    );
  }
  return again;
}

interface InstalledPackage {
  dir: string;
  version?: string;
}

/**
 * `names` and their dependencies (not optional ones) as Node resolves them from `root`, each
 * once; a package nested inside another one travels with it.
 *
 * @example packageClosure('.', ['sharp'], []).keys(); // sharp, @img/colour, detect-libc, semver
 */
export function packageClosure(
  root: string,
  names: string[],
  problems: string[],
): Map<string, InstalledPackage> {
  const found = new Map<string, InstalledPackage>();
  const seen = new Set<string>();
  const visit = (name: string, from: string, by: string) => {
    const dir = resolvePackage(name, from, root);
    if (!dir) {
      problems.push(`${name}${by ? ` (needed by ${by})` : ''} is not installed in node_modules: run npm ci`);
      return;
    }
    if (seen.has(dir)) return;
    seen.add(dir);
    const manifest = readManifest(dir);
    // A package nested inside one already copied travels with it.
    if (![...found.values()].some((p) => dir.startsWith(p.dir + sep))) {
      found.set(found.has(name) ? relative(root, dir) : name, { dir, version: manifest.version });
    }
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, dir, name);
  };
  for (const name of names) visit(name, root, '');
  return found;
}

/** Packages under `nodeModules` built for one platform (their package.json names `os` and `cpu`). */
export function platformPackages(nodeModules: string, os: string, cpu: string): string[] {
  if (!existsSync(nodeModules)) return [];
  const dirs = readdirSync(nodeModules).flatMap((entry) =>
    entry.startsWith('@')
      ? readdirSync(join(nodeModules, entry)).map((name) => join(nodeModules, entry, name))
      : [join(nodeModules, entry)],
  );
  return dirs.filter((dir) => {
    if (!existsSync(join(dir, 'package.json'))) return false;
    const m = readManifest(dir);
    const libc = m.libc ?? ['glibc'];
    return Boolean(m.os?.includes(os) && m.cpu?.includes(cpu) && libc.includes('glibc'));
  });
}

interface Manifest {
  version?: string;
  dependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

function versionOf(dir: string): string | undefined {
  return existsSync(join(dir, 'package.json')) ? readManifest(dir).version : undefined;
}

/** Node's lookup: `<from>/node_modules/<name>`, then each parent folder up to `root`. */
function resolvePackage(name: string, from: string, root: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return undefined;
  }
}
