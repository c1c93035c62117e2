import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import {
  BUNDLE_OPTIONS,
  HANDLER_ENTRIES,
  NATIVE_MODULES,
  type HandlerName,
} from '../lib/config/bundle-options.ts';
import type { BenchRow } from './table.ts';

/** Discord allows 3 s for an answer, cold start included: the interactions bundle stays this small. */
export const INTERACTIONS_BUDGET_BYTES = 400 * 1024;

export interface HandlerBundle {
  name: HandlerName;
  entry: string;
  /** Minified size of index.mjs as deployed (data files and native modules not included). */
  bytes: number;
  /** npm packages that ended up in the bundle, sorted, e.g. `@aws-sdk/client-sqs`. */
  packages: string[];
  /** index.mjs itself. */
  code: Uint8Array;
}

export interface BundleFile {
  /** index.mjs in a temporary folder of its own. */
  file: string;
  /** Deletes the temporary folder. */
  remove(): void;
}

/**
 * Bundles one Lambda entry in memory with the options the CDK functions use (BUNDLE_OPTIONS),
 * so the size measured and the packages listed are those deployed.
 *
 * @example
 * const { bytes, packages } = await bundleHandler('interactions');
 */
export async function bundleHandler(name: HandlerName): Promise<HandlerBundle> {
  const entry = HANDLER_ENTRIES[name];
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    outfile: 'index.mjs',
    platform: 'node',
    target: BUNDLE_OPTIONS.target,
    format: BUNDLE_OPTIONS.format,
    minify: BUNDLE_OPTIONS.minify,
    sourcemap: BUNDLE_OPTIONS.sourcemap,
    mainFields: [...BUNDLE_OPTIONS.mainFields],
    banner: { js: BUNDLE_OPTIONS.banner },
    external: [...BUNDLE_OPTIONS.external, ...(NATIVE_MODULES[name] ?? [])],
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const bytes = result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0);
  const packages = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    // The innermost node_modules folder names the package a file belongs to.
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
    if (match?.[1]) packages.add(match[1]);
  }
  return { name, entry, bytes, packages: [...packages].sort(), code };
}

/**
 * Writes a bundle to a temporary folder, so a fresh Node process can import it as Lambda would.
 *
 * @example
 * const { file, remove } = writeBundle(await bundleHandler('interactions'));
 */
export function writeBundle(bundle: HandlerBundle): BundleFile {
  const dir = mkdtempSync(join(tmpdir(), 'carrier-bundle-'));
  const file = join(dir, 'index.mjs');
  writeFileSync(file, bundle.code);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The handlers that exist in this checkout, in deployment order. */
export function existingHandlers(): HandlerName[] {
  return (Object.keys(HANDLER_ENTRIES) as HandlerName[]).filter((name) => existsSync(HANDLER_ENTRIES[name]));
}

/** `npm run bench`: each Lambda's minified bundle size, as the CDK app bundles it. */
export async function benchBundles(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const name of existingHandlers()) {
    const bundle = await bundleHandler(name);
    rows.push({
      suite: 'bundles',
      name: bundle.entry.replace('functions/handlers/', ''),
      value: `${(bundle.bytes / 1024).toFixed(1)} KB`,
      note:
        name === 'interactions'
          ? `minified ESM, AWS SDK inside; budget ${INTERACTIONS_BUDGET_BYTES / 1024} KB`
          : 'minified ESM, AWS SDK inside',
    });
  }
  return rows;
}
