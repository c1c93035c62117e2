import { build } from 'esbuild';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The interactions function answers within Discord's 3 s including cold start: 400 KB minified at most. */
export const INTERACTIONS_BUNDLE_BUDGET = 400 * 1024;

export const INTERACTIONS_ENTRY = 'functions/handlers/discord-interactions.ts';

export interface Bundle {
  file: string;
  /** Deletes the bundle's temporary folder. */
  remove(): void;
  bytes: number;
  /** npm packages that ended up in the output, e.g. `@aws-sdk/client-sqs`. */
  packages: string[];
}

/**
 * Bundles the interactions handler the way it ships: esbuild, minified, ESM for Node 24, ESM
 * entry points of dependencies first (so the AWS SDK tree-shakes), `require` provided for the
 * CommonJS packages inside.
 *
 * @example
 * const { bytes, packages } = await bundleInteractions();
 */
export async function bundleInteractions(entry = INTERACTIONS_ENTRY): Promise<Bundle> {
  const dir = mkdtempSync(join(tmpdir(), 'carrier-bundle-'));
  const file = join(dir, 'index.mjs');
  const result = await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    metafile: true,
    logLevel: 'silent',
  });
  const packages = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
    if (match?.[1]) packages.add(match[1]);
  }
  return {
    file,
    bytes: statSync(file).size,
    packages: [...packages].sort(),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
