/**
 * Character ids and how a file name becomes one. No dependencies on purpose: the Discord
 * interactions function derives ids from file names too, and its bundle stays small.
 */

/** A character id: lower-case letters, digits, - and _, starting with a letter or digit. */
export const CHARACTER_ID = /^[a-z0-9][a-z0-9_-]*$/;

/** The suffixes a character file may carry, longest first (ElizaOS names its files `<name>.character.json`). */
export const CHARACTER_FILE_SUFFIXES = ['.character.json', '.json'] as const;

/**
 * The id a character file name gives: without `.character.json` or `.json`, accents dropped,
 * lower-cased, every run of other characters as one `-`, no `-` or `_` at either end.
 * Undefined when nothing is left (a name of only punctuation).
 *
 * @example
 * characterIdFromFileName('cosmosHelper.character.json'); // 'cosmoshelper'
 * characterIdFromFileName('Anakin Skywalker'); // 'anakin-skywalker'
 */
export function characterIdFromFileName(name: string): string | undefined {
  const id = stripSuffix(name)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  return CHARACTER_ID.test(id) ? id : undefined;
}

/** The file name without its character suffix (`.character.json`, `.json`, any case). */
export function stripSuffix(name: string): string {
  const lower = name.toLowerCase();
  const suffix = CHARACTER_FILE_SUFFIXES.find((s) => lower.endsWith(s) && lower.length > s.length);
  return suffix ? name.slice(0, -suffix.length) : name;
}

/**
 * What deriving the id changed, in words, for `carrier characters import` to report.
 *
 * @example
 * idChanges('Anakin Skywalker.character.json', 'anakin-skywalker');
 * // ['dropped .character.json', 'lower-cased', 'other characters as -']
 */
export function idChanges(name: string, id: string): string[] {
  const stem = stripSuffix(name);
  const changes: string[] = [];
  if (stem !== name) changes.push(`dropped ${name.slice(stem.length)}`);
  if (stem.toLowerCase() !== stem) changes.push('lower-cased');
  const plain = stem.normalize('NFKD').replace(/\p{M}/gu, '');
  if (plain !== stem) changes.push('accents dropped');
  if (plain.toLowerCase() !== id) changes.push('other characters as -');
  return changes;
}

/**
 * A character id as part of a CloudFormation output name, which allows letters and digits only.
 *
 * @example
 * pascalId('night-owl'); // 'NightOwl' (the stack's DiscordInteractionsUrlNightOwl output)
 */
export function pascalId(id: string): string {
  return id.replace(/(^|[-_])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}
