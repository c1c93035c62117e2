import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readJsonFile } from '#core/config/json-file.ts';
import { characterCatalog } from '#core/characters/catalog.ts';
import { readCharacterFile } from '#core/characters/load.ts';
import type { Character } from '#core/characters/schema.ts';
import { CarrierError, ConfigError, type ConfigProblem } from '#core/errors.ts';
import { loadMcpConfig, MCP_CONFIG_FILE, STDIO_OVER_HTTP_ADVICE, type McpConfig } from '#core/mcp/config.ts';
import { mcpUrlProblems } from '#core/mcp/outbound.ts';
import { oidcUrlProblems } from '#core/api/oidc-config.ts';
import { environmentSchema, type EnvironmentConfig } from './environment.ts';

export const ENVIRONMENTS_DIR = 'config/environments';

/** Everything synth needs for one environment, validated together. */
export interface Deployment {
  /** The environment's name: the file name, and part of every stack and resource name. */
  name: string;
  /** The environment file it came from, for messages. */
  file: string;
  config: EnvironmentConfig;
  /** The deployed characters, in the order the environment lists them. */
  characters: Character[];
  /** config/mcp_servers.json reduced to the servers the deployed characters use. */
  mcp: McpConfig;
  /** The project folder the files were read from. */
  root: string;
}

/**
 * Loads `config/environments/<name>.json`, the characters it deploys and the MCP servers they
 * use, and checks them against each other. Every problem is reported at once, each naming the
 * file and field, so one synth shows everything to fix.
 *
 * @example
 * const deployment = await loadDeployment('dev');
 * deployment.config.region; // 'eu-west-1'
 */
export async function loadDeployment(name: string | undefined, root = '.'): Promise<Deployment> {
  const known = await environmentNames(root);
  if (!name) {
    throw new CarrierError(
      `no environment given: run \`npx cdk synth -c env=<name>\` with one of ${known.join(', ') || `the files in ${ENVIRONMENTS_DIR}/ (none yet)`}`,
      'environment_missing',
    );
  }
  const file = join(root, ENVIRONMENTS_DIR, `${name}.json`);
  if (!known.includes(name)) {
    throw new ConfigError([
      {
        file,
        path: '',
        message: `unknown environment "${name}"; known: ${known.join(', ') || 'none'} (create the file to add one)`,
      },
    ]);
  }
  const config = await readJsonFile(file, environmentSchema);
  const mcpFile = join(root, MCP_CONFIG_FILE);
  const mcp = await loadMcpConfig(mcpFile);
  const charactersDir = join(root, 'characters');
  const catalog = characterCatalog(charactersDir);
  const available = [...catalog.keys()];

  const problems: ConfigProblem[] = [];
  config.characters.forEach((id, i) => {
    if (!available.includes(id)) {
      problems.push({
        file,
        path: `characters[${i}]`,
        message: `unknown character "${id}"; known in characters/: ${available.join(', ') || 'none'}`,
      });
    }
  });
  for (const id of Object.keys(config.discord)) {
    if (!config.characters.includes(id)) {
      problems.push({
        file,
        path: `discord.${id}`,
        message: `"${id}" is not deployed here; add it to characters or remove this entry`,
      });
    }
  }
  // The API fetches the issuers' keys through the public outbound policy: say so before deploying.
  problems.push(...oidcUrlProblems(config.oidc, file));
  if (problems.length) throw new ConfigError(problems);

  const characters = await loadAll(
    config.characters.map((id) => catalog.get(id)!.file),
    mcp,
  );
  problems.push(...stdioProblems(characters, mcpFile, mcp));
  // The runner refuses them too; synth says so before anything is deployed.
  problems.push(...mcpUrlProblems(usedServers(characters, mcp), 'public', mcpFile));
  if (problems.length) throw new ConfigError(problems);
  return { name, file, config, characters, mcp: usedServers(characters, mcp), root };
}

/** The environments that exist: the `.json` file names in config/environments/. */
export async function environmentNames(root = '.'): Promise<string[]> {
  const names = await readdir(join(root, ENVIRONMENTS_DIR)).catch(() => [] as string[]);
  return names
    .filter((n) => n.endsWith('.json'))
    .map((n) => basename(n, '.json'))
    .sort();
}

async function loadAll(files: string[], mcp: McpConfig): Promise<Character[]> {
  const problems: ConfigProblem[] = [];
  const characters: Character[] = [];
  for (const file of files) {
    try {
      characters.push(await readCharacterFile(file, mcp));
    } catch (error) {
      if (error instanceof ConfigError) problems.push(...error.problems);
      else throw error;
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return characters;
}

/** Lambda cannot start a local process, so a deployed character may only use HTTP servers. */
function stdioProblems(characters: Character[], mcpFile: string, mcp: McpConfig): ConfigProblem[] {
  const users = new Map<string, string[]>();
  for (const character of characters) {
    for (const server of character.mcp_servers ?? []) {
      if (mcp.mcpServers[server]?.type === 'stdio')
        users.set(server, [...(users.get(server) ?? []), character.id]);
    }
  }
  return [...users].map(([server, ids]) => ({
    file: mcpFile,
    path: `mcpServers.${server}.type`,
    message:
      `MCP server "${server}" is stdio, which runs only locally, but deployed character ${ids.map((id) => `"${id}"`).join(', ')} uses it; ` +
      STDIO_OVER_HTTP_ADVICE,
  }));
}

function usedServers(characters: Character[], mcp: McpConfig): McpConfig {
  const used = new Set(characters.flatMap((c) => c.mcp_servers ?? []));
  return {
    mcpServers: Object.fromEntries(Object.entries(mcp.mcpServers).filter(([name]) => used.has(name))),
  };
}
