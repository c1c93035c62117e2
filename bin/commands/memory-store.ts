import type { Settings } from '#core/config/settings.ts';
import type { SqlStore } from '#core/ports/sql.ts';
import { StoreError } from '#core/ports/sql-errors.ts';
import { checkCharacter } from './known-character.ts';
import { withStore } from './with-store.ts';

/** withStore, with a store that lacks the memory functions named as such and how to add them. */
export async function withMemoryStore(
  fn: (store: SqlStore, env: Settings['env']) => Promise<void>,
): Promise<void> {
  await withStore((store, settings) => fn(store, settings.env)).catch((error: unknown) => {
    // undefined_function: the SQL functions are not there yet.
    if ((error as { code?: string }).code === '42883') {
      throw new StoreError(
        `the store has no memory functions yet (${(error as Error).message}): run \`npx carrier memory init\``,
        'store_not_migrated',
        { cause: error },
      );
    }
    throw error;
  });
}

/** withMemoryStore for one character's memories, refused when the character is unknown. */
export async function withCharacterStore(
  character: string,
  fn: (store: SqlStore, env: Settings['env']) => Promise<void>,
): Promise<void> {
  await withMemoryStore(async (store, env) => {
    await checkCharacter(store, character);
    await fn(store, env);
  });
}
