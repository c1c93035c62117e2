import { ConfigError, type ConfigProblem } from '../errors.ts';
import { scanCharacterFolder } from './catalog.ts';
import { CHARACTERS_DIR, readCharacterFile } from './load.ts';

/** One character file as it reads now: its name when it is valid, every problem when not. */
export interface CharacterStatus {
  id: string;
  file: string;
  name: string | null;
  model: string | null;
  mcpServers: string[];
  problems: Array<{ path: string; message: string }>;
}

export interface CharacterReport {
  characters: CharacterStatus[];
  /** Problems of the folder: files that give no id, two files that give one id. */
  problems: ConfigProblem[];
}

/**
 * Every character file in `dir`, read and validated now (an edit shows at the next call), with
 * the problems `carrier characters validate` prints. Never throws for a bad file.
 *
 * @example
 * (await characterReport()).characters.filter((c) => c.problems.length > 0);
 */
export async function characterReport(dir = CHARACTERS_DIR): Promise<CharacterReport> {
  const scan = scanCharacterFolder(dir);
  const characters = await Promise.all(
    scan.entries.map(async ({ id, file }): Promise<CharacterStatus> => {
      try {
        const character = await readCharacterFile(file);
        return {
          id,
          file,
          name: character.name,
          model: [character.modelProvider, character.model].filter(Boolean).join(' ') || null,
          mcpServers: character.mcp_servers ?? [],
          problems: [],
        };
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        const problems = error.problems.map((p) => ({ path: p.path, message: p.message }));
        return { id, file, name: null, model: null, mcpServers: [], problems };
      }
    }),
  );
  return { characters, problems: scan.problems };
}
