import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deployment } from './deployment.ts';

/**
 * Writes the data files a function reads at run time into a fresh folder laid out as the
 * function's working directory expects: `characters/<id>.json` for the deployed characters only,
 * and `config/mcp_servers.json` with only the servers they use (so no stdio entry, which the
 * Lambda runtime refuses, is ever shipped). Lambda runs with /var/task as the working directory,
 * which is where the bundle and these files land, so the runtime's default relative paths work.
 *
 * @example
 * const dir = stageRuntimeFiles(deployment); // then copied next to index.mjs after bundling
 */
export function stageRuntimeFiles(deployment: Deployment): string {
  const dir = mkdtempSync(join(tmpdir(), `carrier-${deployment.name}-files-`));
  mkdirSync(join(dir, 'characters'));
  mkdirSync(join(dir, 'config'));
  for (const character of deployment.characters) {
    copyFileSync(character.source, join(dir, 'characters', `${character.id}.json`));
  }
  writeFileSync(join(dir, 'config', 'mcp_servers.json'), `${JSON.stringify(deployment.mcp, null, 2)}\n`);
  return dir;
}
