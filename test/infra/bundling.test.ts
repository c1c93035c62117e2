import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaModules } from '../../lib/config/lambda-modules.ts';
import { bundledSynth, type BundledSynth } from './bundled-synth.ts';

// The real thing, as `npx cdk synth -c env=dev` runs it: local esbuild, no Docker, no network.
describe('bundled synth of dev', () => {
  let s: BundledSynth;
  beforeAll(async () => {
    s = await bundledSynth('dev');
  }, 300_000);

  it.each(['discord-interactions', 'instagram-token-refresh'])('bundles %s into one index.mjs', (name) => {
    expect(readdirSync(s.assetDir(name))).toEqual(['index.mjs']);
  });

  it.each(['api', 'runner', 'instagram-publisher'])(
    'ships the deployed characters and their MCP servers with %s',
    (name) => {
      const dir = s.assetDir(name);
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

  it("ships sharp and its dependencies from the project's node_modules with the publisher", () => {
    const modules = join(s.assetDir('instagram-publisher'), 'node_modules');
    expect(readdirSync(modules)).toEqual(expect.arrayContaining(['sharp', 'detect-libc', 'semver', '@img']));
    const shipped = JSON.parse(readFileSync(join(modules, 'sharp/package.json'), 'utf8')) as {
      version: string;
    };
    const project = JSON.parse(readFileSync('node_modules/sharp/package.json', 'utf8')) as {
      version: string;
    };
    expect(shipped.version).toBe(project.version);
    // The binaries of this machine are not the Lambda's: only linux-arm64 ones travel.
    const builtFor = readdirSync(join(modules, '@img')).flatMap((name) => {
      const manifest = JSON.parse(readFileSync(join(modules, '@img', name, 'package.json'), 'utf8')) as {
        os?: string[];
        cpu?: string[];
      };
      return manifest.cpu ? [`${manifest.os?.join('|')}-${manifest.cpu.join('|')}`] : [];
    });
    expect(builtFor.filter((platform) => platform !== 'linux-arm64')).toEqual([]);
  });

  it('adds the linux-arm64 binaries when prepared, or warns with the command that prepares them', () => {
    const sharp = lambdaModules(s.deployment.root, ['sharp']);
    const warnings = s.warnings.filter((w) => w.includes('needs sharp for linux-arm64'));
    const img = readdirSync(join(s.assetDir('instagram-publisher'), 'node_modules/@img'));
    if (!sharp.problems.length) {
      expect(img).toEqual(expect.arrayContaining(['sharp-linux-arm64', 'sharp-libvips-linux-arm64']));
      expect(warnings).toEqual([]);
    } else {
      expect(img).not.toContain('sharp-linux-arm64');
      expect(warnings).toEqual([expect.stringContaining(sharp.command)]);
    }
  });

  it('writes ESM with the createRequire banner, minified, without source maps', () => {
    const code = readFileSync(join(s.assetDir('api'), 'index.mjs'), 'utf8');
    expect(code.startsWith("import{createRequire as __cr}from'module';")).toBe(true);
    expect(code).not.toContain('sourceMappingURL');
    expect(code.split('\n').length).toBeLessThan(400);
  });
});
