import { loadCharacter } from '../characters/load.ts';
import type { Character } from '../characters/schema.ts';

/**
 * Characters by id, each read once and kept: the runner and its reflection share one, so a
 * character that can answer a turn can also be reflected on (a character file added while
 * `npm start` runs included). A failed read is not kept: the file may be fixed before the retry.
 *
 * @example
 * const character = characterCache();
 * (await character('ada')).name; // 'Ada'
 */
export function characterCache(
  load: (id: string) => Promise<Character> = (id) => loadCharacter(id),
): (id: string) => Promise<Character> {
  const characters = new Map<string, Promise<Character>>();
  return (id) => {
    let pending = characters.get(id);
    if (!pending) {
      pending = load(id);
      pending.catch(() => characters.delete(id));
      characters.set(id, pending);
    }
    return pending;
  };
}
