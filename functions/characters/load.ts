import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readJsonFile } from '../config/json-file.ts';
import { CarrierError, ConfigError, type ConfigProblem } from '../errors.ts';
import type { McpConfig } from '../mcp/config.ts';
import { characterSchema, type Character } from './schema.ts';

export const CHARACTERS_DIR = 'characters';

/** Character ids are file names: lower-case letters, digits, - and _. */
export const CHARACTER_ID = /^[a-z0-9][a-z0-9_-]*$/;

/** Reads and validates one character file; its id is the file name without `.json`. */
export async function readCharacterFile(file: string, mcp?: McpConfig): Promise<Character> {
  const id = basename(file, '.json');
  if (!CHARACTER_ID.test(id)) {
    throw new ConfigError([
      { file, path: '', message: 'file name must be a character id: lower-case letters, digits, - and _' },
    ]);
  }
  const data = await readJsonFile(file, characterSchema);
  if (mcp) {
    const unknown = unknownServers(file, data.mcp_servers, mcp);
    if (unknown.length) throw new ConfigError(unknown);
  }
  return { ...data, id, source: file };
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

/** Loads `characters/<id>.json`, naming the known characters when the id is unknown. */
export async function loadCharacter(id: string, dir = CHARACTERS_DIR, mcp?: McpConfig): Promise<Character> {
  const ids = await listCharacterIds(dir);
  if (!ids.includes(id)) {
    throw new CarrierError(
      `unknown character "${id}"; known characters in ${dir}/: ${ids.join(', ') || 'none'}`,
      'character_unknown',
    );
  }
  return readCharacterFile(join(dir, `${id}.json`), mcp);
}

export async function listCharacterIds(dir = CHARACTERS_DIR): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith('.json'))
    .map((n) => basename(n, '.json'))
    .sort();
}

export async function loadCharacters(dir = CHARACTERS_DIR, mcp?: McpConfig): Promise<Character[]> {
  const ids = await listCharacterIds(dir);
  return Promise.all(ids.map((id) => readCharacterFile(join(dir, `${id}.json`), mcp)));
}

/** Expands files and folders into the character files they hold. */
async function expand(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) {
      const names = (await readdir(path)).filter((n) => n.endsWith('.json')).sort();
      files.push(...names.map((n) => join(path, n)));
    } else {
      files.push(path);
    }
  }
  return files;
}

/** Validates character files and folders; returns every problem found, never throws for bad files. */
export async function validateCharacters(paths: string[], mcp?: McpConfig): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  for (const file of await expand(paths)) {
    try {
      await readCharacterFile(file, mcp);
    } catch (error) {
      if (error instanceof ConfigError) problems.push(...error.problems);
      else throw error;
    }
  }
  return problems;
}
