import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discordCommands } from '#core/discord/commands.ts';
import { registerCommands } from '#core/adapters/discord-rest/register.ts';
import { discordRest } from '#core/adapters/discord-rest/rest.ts';
import { migrate, readMigrations } from '#core/adapters/store/migrate.ts';
import { openMigratableStore } from '#core/adapters/store/open.ts';
import { testDiscordApp } from '#test/factories/discord.ts';
import { FakeDiscordApi } from '#test/fakes/discord-api.ts';
import { startMediaHost } from '#test/fakes/ftp.ts';
import { startFakeGraphApi } from '#test/fakes/graph-api.ts';
import { freePort, startEverything } from '#test/fakes/mcp-everything.ts';
import { startModelCatalog } from '#test/fakes/model-catalog.ts';
import { seedFreshDataDir, seedMigratedDataDir } from '#test/support/pglite.ts';

export const BOT_TOKEN = 'bot-token-for-ada';
export const ACCOUNT_ID = '17841400000000001';

/**
 * Every peer `carrier doctor` talks to, on loopback, and a project folder configured for them:
 * `characters/ada.json` (OpenAI, the `tools` MCP server, on Discord), `characters/sage.json`
 * (Anthropic), `config/mcp_servers.json`, and a PGlite folder migrated to the latest version.
 * `env` is a complete, correct environment; `brokenMcpFile` points `tools` at a closed port and
 * `staleDataDir` lacks the newest migration.
 */
export async function startPeers() {
  const project = mkdtempSync(join(tmpdir(), 'carrier-doctor-'));
  const dataDir = join(project, '.carrier');
  const staleDataDir = join(project, '.carrier-stale');
  const migrations = await readMigrations();
  // Past initdb already (seconds of CPU each, and not what doctor checks).
  const stale = async () => {
    await seedFreshDataDir(staleDataDir);
    const store = await openMigratableStore({ CARRIER_DATA_DIR: staleDataDir });
    await migrate(store, migrations.slice(0, -1));
    await store.close();
  };
  // PGlite and the MCP server take the longest to start: all of it at once.
  const [media, graph, mcp, models] = await Promise.all([
    startMediaHost(),
    startFakeGraphApi({ tokens: ['good-token'] }),
    startEverything('streamableHttp'),
    startModelCatalog({ keys: ['sk-good', 'sk-ant-good'], models: ['gpt-4.1-mini', 'claude-sonnet-5-5'] }),
    seedMigratedDataDir(dataDir),
    stale(),
  ]);
  const app = testDiscordApp();
  const discord = await FakeDiscordApi.start({
    botToken: BOT_TOKEN,
    application: {
      id: app.applicationId,
      name: 'Ada',
      verify_key: app.publicKey,
      interactions_endpoint_url: 'https://carrier.example/discord/ada/interactions',
    },
  });
  const ada = { name: 'Ada', modelProvider: 'openai', mcp_servers: ['tools'] };
  await registerCommands(
    discordRest({ token: BOT_TOKEN, apiUrl: discord.url }),
    { character: 'ada', applicationId: app.applicationId },
    discordCommands(ada),
  );

  mkdirSync(join(project, 'characters'));
  mkdirSync(join(project, 'config'));
  writeFileSync(join(project, 'characters/ada.json'), JSON.stringify(ada));
  writeFileSync(
    join(project, 'characters/sage.json'),
    JSON.stringify({ name: 'Sage', modelProvider: 'anthropic' }),
  );
  const mcpConfig = (url: string) =>
    JSON.stringify({
      mcpServers: { tools: { type: 'streamable-http', url, allowed_tools: ['echo', 'get-sum'] } },
    });
  writeFileSync(join(project, 'config/mcp_servers.json'), mcpConfig(mcp.url));
  const brokenMcpFile = join(project, 'config/closed-port.json');
  writeFileSync(brokenMcpFile, mcpConfig(`http://127.0.0.1:${await freePort()}/mcp`));

  const env: Record<string, string> = {
    ...media.env,
    CARRIER_DATA_DIR: dataDir,
    INSTAGRAM_GRAPH_URL: graph.url,
    INSTAGRAM_ACCOUNT_ID: ACCOUNT_ID,
    INSTAGRAM_ACCESS_TOKEN: 'good-token',
    DISCORD_API_URL: discord.url,
    DISCORD_ADA_PUBLIC_KEY: app.publicKey,
    DISCORD_ADA_APPLICATION_ID: app.applicationId,
    DISCORD_ADA_BOT_TOKEN: BOT_TOKEN,
    OPENAI_API_KEY: 'sk-good',
    OPENAI_BASE_URL: `${models.origin}/v1`,
    ANTHROPIC_API_KEY: 'sk-ant-good',
    ANTHROPIC_BASE_URL: models.origin,
  };
  return {
    env,
    project,
    charactersDir: join(project, 'characters'),
    mcpFile: join(project, 'config/mcp_servers.json'),
    brokenMcpFile,
    staleDataDir,
    newestMigration: migrations.at(-1)!.version,
    app,
    ftp: media.ftp,
    mcpUrl: mcp.url,
    discord,
    close: async () => {
      await Promise.all([media.close(), graph.close(), mcp.stop(), models.close(), discord.close()]);
    },
  };
}

export type Peers = Awaited<ReturnType<typeof startPeers>>;
