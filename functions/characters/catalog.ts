import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { envIdPart } from '../config/env-names.ts';
import { ConfigError, type ConfigProblem } from '../errors.ts';
import { characterIdFromFileName } from './character-id.ts';

/** One character file in a folder and the id its name gives. */
export interface CharacterEntry {
  id: string;
  /** The path, `dir/name`. */
  file: string;
}

export interface CharacterScan {
  /** The character files, sorted by id; when two give the same id, only the first is here. */
  entries: CharacterEntry[];
  /** Files that give no id, or an id (or per-character variable names) another file gives. */
  problems: ConfigProblem[];
  /** Files left alone: not `.json`, `.character.json` or an extension-less file holding JSON. */
  ignored: string[];
}

/**
 * The character files in a folder, as they come from ElizaOS: `*.character.json`, `*.json` and
 * extension-less files that hold a JSON object; hidden files, folders and other files are
 * ignored. Synchronous and free of zod, so the Discord interactions function can use it.
 *
 * @example
 * scanCharacterFolder('characters').entries; // [{ id: 'cosmoshelper', file: 'characters/cosmosHelper.character.json' }, …]
 */
export function scanCharacterFolder(dir: string): CharacterScan {
  const scan: CharacterScan = { entries: [], problems: [], ignored: [] };
  let names: { name: string; isFile: boolean }[];
  try {
    // A symlinked file counts: a character shared between checkouts is often linked in.
    names = readdirSync(dir, { withFileTypes: true }).map((d) => ({
      name: d.name,
      isFile: d.isFile() || d.isSymbolicLink(),
    }));
  } catch {
    return scan;
  }
  const named: CharacterEntry[] = [];
  for (const { name, isFile } of names.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const file = join(dir, name);
    if (!isFile || name.startsWith('.') || !isCharacterFileName(name, file)) {
      scan.ignored.push(file);
      continue;
    }
    const id = characterIdFromFileName(name);
    if (id) named.push({ id, file });
    else scan.problems.push(noIdProblem(file));
  }
  const { accepted, problems } = separateClashes(named);
  scan.entries = accepted;
  scan.problems.push(...problems);
  scan.entries.sort((a, b) => (a.id < b.id ? -1 : 1));
  return scan;
}

/**
 * The character files of a folder by id; a folder where two files give one id (or one set of
 * per-character variables) is refused, naming both files.
 *
 * @example
 * characterCatalog('characters').get('ada')?.file; // 'characters/ada.json'
 */
export function characterCatalog(dir: string): Map<string, CharacterEntry> {
  const { entries, problems } = scanCharacterFolder(dir);
  if (problems.length) throw new ConfigError(problems);
  return new Map(entries.map((e) => [e.id, e]));
}

/** The problem of a file whose name gives no id. */
export function noIdProblem(file: string): ConfigProblem {
  return {
    file,
    path: '',
    message: 'the file name gives no character id; rename it with letters or digits, like my-character.json',
  };
}

/**
 * Keeps the first file for each id and refuses the others, naming both files: two files with
 * one id, or two ids that read the same per-character variables (`night-owl` and `night_owl`
 * both read DISCORD_NIGHT_OWL_*).
 *
 * @example
 * separateClashes([{ id: 'a', file: 'x/a.json' }, { id: 'a', file: 'y/A.json' }]).problems[0].message;
 * // 'gives character id "a", as does x/a.json; rename or remove one of them'
 */
export function separateClashes(entries: CharacterEntry[]): {
  accepted: CharacterEntry[];
  problems: ConfigProblem[];
} {
  const accepted: CharacterEntry[] = [];
  const problems: ConfigProblem[] = [];
  const byId = new Map<string, string>();
  const byEnv = new Map<string, CharacterEntry>();
  for (const entry of entries) {
    const { id, file } = entry;
    const env = envIdPart(id);
    const twin = byId.get(id);
    const sameEnv = byEnv.get(env);
    if (twin) {
      problems.push({
        file,
        path: '',
        message: `gives character id "${id}", as does ${twin}; rename or remove one of them`,
      });
    } else if (sameEnv) {
      problems.push({
        file,
        path: '',
        message: `character "${id}" would read the same settings (DISCORD_${env}_…, INSTAGRAM_${env}_…) as "${sameEnv.id}" in ${sameEnv.file}; rename one of them`,
      });
    } else {
      byId.set(id, file);
      byEnv.set(env, entry);
      accepted.push(entry);
    }
  }
  return { accepted, problems };
}

/** `.json` (and so `.character.json`) files, and files with no extension whose content starts with `{`. */
export function isCharacterFileName(name: string, file: string): boolean {
  if (name.toLowerCase().endsWith('.json')) return true;
  return !/\.[A-Za-z0-9]+$/.test(name) && startsLikeJson(file);
}

function startsLikeJson(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(256);
    const read = readSync(fd, head, 0, head.length, 0);
    return /^\uFEFF?\s*\{/.test(head.subarray(0, read).toString('utf8'));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
