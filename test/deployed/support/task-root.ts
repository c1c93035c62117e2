import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { platformPackages } from '../../../lib/config/lambda-modules.ts';

export interface TaskRoots {
  /** A copy of an asset folder, where its function runs (its /var/task). */
  copy(assetDir: string, name: string): string;
  /** A folder holding only this machine's builds of native packages, for NODE_PATH. */
  readonly hostNatives: string;
  remove(): void;
}

/**
 * Folders outside the project for the functions to run in. Run in place (cdk.out sits under the
 * project's node_modules/.cache), Node's module lookup would climb into the project's
 * node_modules and hide a package missing from the bundle; on Lambda, /var/task has no parent
 * with packages.
 *
 * The publisher's sharp is built for linux-arm64; on this machine it also needs this machine's
 * build, which NODE_PATH supplies (Node consults it last, for require only), from a folder that
 * holds the platform packages of node_modules and nothing else.
 *
 * @example
 * const roots = taskRoots(); const dir = roots.copy(synth.assetDir('api'), 'api');
 */
export function taskRoots(): TaskRoots {
  const base = mkdtempSync(join(tmpdir(), 'carrier-task-'));
  const hostNatives = join(base, '.host-natives');
  for (const dir of platformPackages('node_modules', process.platform, process.arch)) {
    const link = join(hostNatives, relative('node_modules', dir));
    mkdirSync(join(link, '..'), { recursive: true });
    symlinkSync(join(process.cwd(), dir), link, 'dir');
  }
  mkdirSync(hostNatives, { recursive: true });
  return {
    hostNatives,
    copy(assetDir, name) {
      const dir = join(base, name);
      cpSync(assetDir, dir, { recursive: true, dereference: true });
      return dir;
    },
    remove() {
      // The links are removed, not followed: rmSync does not descend into symlinked folders.
      rmSync(base, { recursive: true, force: true });
    },
  };
}
