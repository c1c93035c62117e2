import { readdirSync } from 'node:fs';

/**
 * The character ids a function serves: `CARRIER_CHARACTERS` (comma-separated, set by the
 * stack), else the `.json` file names in `characters/` next to the bundle. Read once at cold
 * start; no schema validation here, so the interactions bundle stays free of zod.
 *
 * @example
 * servedCharacters({ CARRIER_CHARACTERS: 'ada, juniper' }); // ['ada', 'juniper']
 */
export function servedCharacters(env: Record<string, string | undefined>, dir = 'characters'): string[] {
  const listed = env.CARRIER_CHARACTERS?.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (listed?.length) return listed;
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length));
  } catch {
    return [];
  }
}
