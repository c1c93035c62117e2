/**
 * A character id as it appears inside an environment variable name: upper-cased, anything but
 * letters and digits as `_`. One rule for every per-character setting (Discord, Instagram).
 *
 * @example
 * `DISCORD_${envIdPart('night-owl')}_PUBLIC_KEY`; // 'DISCORD_NIGHT_OWL_PUBLIC_KEY'
 */
export function envIdPart(characterId: string): string {
  return characterId.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
