import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { readJsonFile } from '../config/json-file.ts';
import { CarrierError, ConfigError, type ConfigProblem } from '../errors.ts';
import type { McpConfig } from '../mcp/config.ts';
import { characterCatalog, noIdProblem, scanCharacterFolder } from './catalog.ts';
import { characterIdFromFileName } from './character-id.ts';
import { characterSchema, type Character } from './schema.ts';

export const CHARACTERS_DIR = 'characters';

/**
 * Reads and validates one character file. Its id comes from the file name
 * (`cosmosHelper.character.json` → `cosmoshelper`); an `id` the file declares itself (ElizaOS
 * writes a UUID there) is kept as `fileId`.
 */
export async function readCharacterFile(file: string, mcp?: McpConfig): Promise<Character> {
  const id = characterIdFromFileName(basename(file));
  if (!id) throw new ConfigError([noIdProblem(file)]);
  const data = await readJsonFile(file, characterSchema);
  if (mcp) {
    const unknown = unknownServers(file, data.mcp_servers, mcp);
    if (unknown.length) throw new ConfigError(unknown);
  }
  const declared: unknown = data.id;
  const fileId = typeof declared === 'string' || typeof declared === 'number' ? String(declared) : undefined;
  return { ...data, id, source: file, ...(fileId === undefined ? {} : { fileId }) };
}

function unknownServers(file: string, names: string[] | undefined, mcp: McpConfig): ConfigProblem[] {
  const known = Object.keys(mcp.mcpServers);
  return (names ?? []).flatMap((name, i) =>
    known.includes(name)
      ? []
      : [
          {
            file,
            path: `mcp_servers[${i}]`,
            message: `unknown MCP server "${name}"; define it in config/mcp_servers.json (known: ${known.join(', ') || 'none'})`,
          },
        ],
  );
}

/** Loads the character `id` from `dir`, naming the known characters when the id is unknown. */
export async function loadCharacter(id: string, dir = CHARACTERS_DIR, mcp?: McpConfig): Promise<Character> {
  const catalog = characterCatalog(dir);
  const entry = catalog.get(id);
  if (!entry) {
    if (!isFolder(dir)) throw new CarrierError(noFolderMessage(dir), 'characters_missing');
    const derived = characterIdFromFileName(id);
    const hint = derived && derived !== id && catalog.has(derived) ? ` (did you mean "${derived}"?)` : '';
    throw new CarrierError(
      `unknown character "${id}"${hint}; known characters in ${dir}/: ${[...catalog.keys()].join(', ') || 'none'}`,
      'character_unknown',
    );
  }
  return readCharacterFile(entry.file, mcp);
}

/**
 * What to say when the characters folder is not there: relative paths are read from the working
 * directory, so from a subfolder of the project "known characters: none" would hide why.
 *
 * @example
 * noFolderMessage('characters');
 * // 'no characters folder at /home/me/carrier/docs/characters; run carrier from the project root (the folder holding characters/ and package.json)'
 */
export function noFolderMessage(dir: string, orElse = ''): string {
  return `no characters folder at ${resolve(dir)}; run carrier from the project root (the folder holding characters/ and package.json)${orElse}`;
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** The ids of the character files in `dir`, sorted; two files giving one id are an error. */
export async function listCharacterIds(dir = CHARACTERS_DIR): Promise<string[]> {
  return [...characterCatalog(dir).keys()];
}

export async function loadCharacters(dir = CHARACTERS_DIR, mcp?: McpConfig): Promise<Character[]> {
  return Promise.all([...characterCatalog(dir).values()].map((e) => readCharacterFile(e.file, mcp)));
}

/** Expands files and folders into the character files they hold, and the folders' naming problems. */
async function expand(paths: string[]): Promise<{ files: string[]; problems: ConfigProblem[] }> {
  const files: string[] = [];
  const problems: ConfigProblem[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info && resolve(path) === resolve(CHARACTERS_DIR)) {
      const orElse = ', or name the folder: carrier characters validate path/to/characters';
      problems.push({ file: path, path: '', message: noFolderMessage(path, orElse) });
    } else if (info?.isDirectory()) {
      const scan = scanCharacterFolder(path);
      files.push(...scan.entries.map((e) => e.file));
      problems.push(...scan.problems);
    } else {
      files.push(path);
    }
  }
  return { files, problems };
}

/** Validates character files and folders; returns every problem found, never throws for bad files. */
export async function validateCharacters(paths: string[], mcp?: McpConfig): Promise<ConfigProblem[]> {
  const { files, problems } = await expand(paths);
  for (const file of files) {
    try {
      await readCharacterFile(file, mcp);
    } catch (error) {
      if (error instanceof ConfigError) problems.push(...error.problems);
      else throw error;
    }
  }
  return problems;
}
