import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaModules } from '../../lib/config/lambda-modules.ts';
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

  it.each(['discord-interactions', 'instagram-token-refresh'])('bundles %s into one index.mjs', (name) => {
    expect(readdirSync(assetDir(s, name))).toEqual(['index.mjs']);
  });

  it.each(['api', 'runner', 'instagram-publisher'])(
    'ships the deployed characters and their MCP servers with %s',
    (name) => {
      const dir = assetDir(s, name);
      expect(readdirSync(dir)).toEqual(expect.arrayContaining(['characters', 'config', 'index.mjs']));
      expect(readdirSync(join(dir, 'characters')).sort()).toEqual(
        s.deployment.config.characters.map((id) => `${id}.json`).sort(),
      );
      const mcp = JSON.parse(readFileSync(join(dir, 'config/mcp_servers.json'), 'utf8')) as {
        mcpServers: Record<string, { type: string }>;
      };
      expect(Object.values(mcp.mcpServers).filter((server) => server.type === 'stdio')).toEqual([]);
    },
  );

  it('ships sharp for linux-arm64 with the publisher, or warns with the command that prepares it', () => {
    const sharp = lambdaModules(s.deployment.root, ['sharp']);
    const warnings = Annotations.fromStack(s.stack).findWarning(
      '*',
      Match.stringLikeRegexp('carrier:lambda-modules'),
    );
    if (sharp.nodeModules) {
      const modules = join(assetDir(s, 'instagram-publisher'), 'node_modules');
      expect(readdirSync(modules)).toContain('sharp');
      expect(readdirSync(join(modules, '@img'))).toEqual(
        expect.arrayContaining(['sharp-linux-arm64', 'sharp-libvips-linux-arm64']),
      );
      expect(warnings).toEqual([]);
    } else {
      expect(warnings.map((w) => String(w.entry.data))).toEqual([expect.stringContaining(sharp.command)]);
    }
  });

  it('writes ESM with the createRequire banner, minified, without source maps', () => {
    const code = readFileSync(join(assetDir(s, 'api'), 'index.mjs'), 'utf8');
    expect(code.startsWith("import{createRequire as __cr}from'module';")).toBe(true);
    expect(code).not.toContain('sourceMappingURL');
    expect(code.split('\n').length).toBeLessThan(200);
  });
});
