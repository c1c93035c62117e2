import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionProperties, synthesize, type Synthesized } from './synth.ts';

/** The folder synth bundled function `name` into (the asset named by its S3 key). */
function assetDir(s: Synthesized, name: string): string {
  const code = functionProperties(s.template, name).Code as { S3Key: string };
  return join(s.assembly.directory, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
}

// The real thing, as `npx cdk synth -c env=dev` runs it: local esbuild, no Docker, no network.
describe('bundled synth of dev', () => {
  let s: Synthesized;
  beforeAll(async () => {
    s = await synthesize('dev', { bundle: true });
  }, 180_000);

  it('bundles the interactions function into one index.mjs and nothing else', () => {
    expect(readdirSync(assetDir(s, 'discord-interactions'))).toEqual(['index.mjs']);
  });

  it('ships the deployed characters and their MCP servers next to the API bundle', () => {
    const dir = assetDir(s, 'api');
    expect(readdirSync(dir).sort()).toEqual(['characters', 'config', 'index.mjs']);
    expect(readdirSync(join(dir, 'characters')).sort()).toEqual(
      s.deployment.config.characters.map((id) => `${id}.json`).sort(),
    );
    const mcp = JSON.parse(readFileSync(join(dir, 'config/mcp_servers.json'), 'utf8')) as {
      mcpServers: Record<string, { type: string }>;
    };
    expect(Object.values(mcp.mcpServers).filter((server) => server.type === 'stdio')).toEqual([]);
  });

  it('writes ESM with the createRequire banner, minified, without source maps', () => {
    const code = readFileSync(join(assetDir(s, 'api'), 'index.mjs'), 'utf8');
    expect(code.startsWith("import{createRequire as __cr}from'module';")).toBe(true);
    expect(code).not.toContain('sourceMappingURL');
    expect(code.split('\n').length).toBeLessThan(200);
  });
});
