import { scanCharacterFolder } from '../characters/catalog.ts';

/**
 * The character ids a function serves: `CARRIER_CHARACTERS` (comma-separated, set by the
 * stack), else the ids the character files in `characters/` next to the bundle give. Read once
 * at cold start; no schema validation here, so the interactions bundle stays free of zod.
 *
 * @example
 * servedCharacters({ CARRIER_CHARACTERS: 'ada, juniper' }); // ['ada', 'juniper']
 */
export function servedCharacters(env: Record<string, string | undefined>, dir = 'characters'): string[] {
  const listed = env.CARRIER_CHARACTERS?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (listed?.length) return listed;
  // Files that clash are reported by the loaders the rest of the stack uses; here they are left out.
  return scanCharacterFolder(dir).entries.map((e) => e.id);
}
