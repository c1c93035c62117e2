import { afterAll, beforeAll } from 'vitest';

/**
 * Something costly to start (a PGlite, a server) shared by the tests of the calling file:
 * opened before them, closed after. Read it through the returned function inside tests or
 * hooks; `what` names it in the error when read too early.
 *
 * @example
 * const store = perFile('the migrated PGlite', openMigratedPglite, (s) => s.close());
 */
export function perFile<T>(
  what: string,
  open: () => Promise<T>,
  close: (value: T) => Promise<void>,
): () => T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await open();
  }, 60_000);
  afterAll(async () => {
    if (value !== undefined) await close(value);
  });
  return () => {
    if (value === undefined) throw new Error(`${what} opens in beforeAll; use it inside a test or hook`);
    return value;
  };
}
