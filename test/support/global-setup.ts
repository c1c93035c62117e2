import { migratedTemplate } from './pglite.ts';

/**
 * Runs once before any test worker starts: makes the migrated PGlite dump and data folder the
 * tests start from (cached under node_modules/.cache), so two workers never both run initdb.
 */
export default async function setup(): Promise<void> {
  await migratedTemplate();
}
