import { existsSync } from 'node:fs';
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
}

/**
 * Bundles one Lambda entry in memory with the options the CDK functions use (BUNDLE_OPTIONS),
 * so the size measured is the size deployed.
 *
 * @example
 * const { bytes } = await bundleHandler('interactions');
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
    logLevel: 'silent',
  });
  const bytes = result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0);
  return { name, entry, bytes };
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
