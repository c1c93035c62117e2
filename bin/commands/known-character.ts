import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import { listCharacterIds, loadCharacter } from '#core/characters/load.ts';
import type { SqlStore } from '#core/ports/sql.ts';

/**
 * Refuses a character that is neither in characters/ nor in the store, in the one line
 * `carrier chat` gives (loadCharacter's: it names the known characters). A character whose
 * file was removed while the store still holds its memories is known: they must stay listable,
 * and above all forgettable.
 *
 * @example
 * await checkCharacter(store, 'nobody');
 * // throws: unknown character "nobody"; known characters in characters/: ada, juniper, orbit
 */
export async function checkCharacter(store: SqlStore, id: string): Promise<void> {
  if ((await listCharacterIds()).includes(id)) return;
  if ((await new SqlMemoryRepository(store).stats(id)).length) return;
  await loadCharacter(id);
}
