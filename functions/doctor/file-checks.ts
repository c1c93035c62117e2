import { scanCharacterFolder } from '../characters/catalog.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readCharacterFile } from '../characters/load.ts';
import type { Character } from '../characters/schema.ts';
import { ConfigError, type ConfigProblem } from '../errors.ts';
import { loadMcpConfigIfPresent, type McpConfig } from '../mcp/config.ts';
import { configCheck, failed, passed, problemResults, skipped, type CheckResult } from './check.ts';

/** config/mcp_servers.json, which may be absent (no servers) but not wrong. */
export async function checkMcpConfig(file: string): Promise<{ results: CheckResult[]; mcp?: McpConfig }> {
  const { results, value } = await configCheck(
    'mcp config',
    () => loadMcpConfigIfPresent(file),
    `fix ${file}; see README, MCP servers`,
    (mcp) => {
      const count = Object.keys(mcp?.mcpServers ?? {}).length;
      return `${count} server${count === 1 ? '' : 's'} in ${file}`;
    },
  );
  if (!value) {
    const absent = results.every((r) => r.ok);
    return { results: absent ? [skipped('mcp config', `${file} does not exist: no MCP servers`)] : results };
  }
  return { results, mcp: value };
}

/**
 * The character files, validated as loading does (names, clashes, fields, MCP server names).
 * With `only`, just those ids (a deployment's characters) must be there and valid.
 *
 * @example
 * const { characters } = await checkCharacters('characters', mcp);
 */
export async function checkCharacters(
  dir: string,
  mcp: McpConfig | undefined,
  only?: readonly string[],
): Promise<{ results: CheckResult[]; characters: Character[] }> {
  const scan = scanCharacterFolder(dir);
  const problems: ConfigProblem[] = [...scan.problems];
  const characters: Character[] = [];
  const wanted = only ?? scan.entries.map((e) => e.id);
  for (const id of wanted) {
    const entry = scan.entries.find((e) => e.id === id);
    if (!entry) {
      problems.push({ file: dir, path: '', message: `has no file for character "${id}"` });
      continue;
    }
    try {
      characters.push(await readCharacterFile(entry.file, mcp ?? { mcpServers: {} }));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length) {
    const fix = 'fix or rename the file; `npx carrier characters validate` lists every problem';
    return { results: problemResults('characters', problems, fix), characters };
  }
  if (!characters.length && !existsSync(dir)) {
    // Read from the working directory: from a subfolder "no character files" would hide why.
    const fix =
      'run `npx carrier doctor` from the project root (the folder holding characters/ and package.json)';
    return { results: [failed('characters', `no characters folder at ${resolve(dir)}`, fix)], characters };
  }
  if (!characters.length) {
    const fix =
      'add a character file there, or copy ElizaOS files in with `npx carrier characters import <folder>`';
    return { results: [failed('characters', `no character files in ${dir}/`, fix)], characters };
  }
  return { results: [passed('characters', characters.map((c) => c.id).join(', '))], characters };
}
