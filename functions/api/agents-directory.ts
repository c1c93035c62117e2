import { loadCharacter } from '../characters/load.ts';

/**
 * The agents an API serves, with their display names: read from the character files once and
 * kept for the life of the process (a Lambda container or `npm start`).
 *
 * @example
 * const agents = agentsDirectory(['ada', 'juniper']);
 * await agents(); // [{ id: 'ada', name: 'Ada' }, …]
 */
export function agentsDirectory(ids: readonly string[]): () => Promise<Array<{ id: string; name: string }>> {
  let loaded: Promise<Array<{ id: string; name: string }>> | undefined;
  return () => {
    loaded ??= Promise.all(ids.map(async (id) => ({ id, name: (await loadCharacter(id)).name }))).catch(
      (error: unknown) => {
        loaded = undefined;
        throw error;
      },
    );
    return loaded;
  };
}
