import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatResult } from '#core/doctor/report.ts';
import { runDoctor, type DoctorOptions } from '#core/wiring/doctor.ts';
import { testDiscordApp } from '#test/factories/discord.ts';
import { ACCOUNT_ID, startPeers, type Peers } from './support/peers.ts';

let peers: Peers;
beforeAll(async () => {
  peers = await startPeers();
}, 240_000);
afterAll(() => peers?.close());

const NO_ENV_FILE = join(tmpdir(), 'carrier-doctor-no-such.env');

function doctor(change: Record<string, string> = {}, options: Partial<DoctorOptions> = {}) {
  return runDoctor({
    env: { ...peers.env, ...change },
    envFile: NO_ENV_FILE,
    charactersDir: peers.charactersDir,
    mcpFile: peers.mcpFile,
    online: true,
    // Generous: the machine may be busy; the deadlines themselves are tested with fakes.
    timeoutMs: 60_000,
    ...options,
  });
}

describe('carrier doctor against loopback peers', () => {
  it('is all green when everything is configured', async () => {
    const results = await doctor();
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const names = results.map((r) => r.name);
    expect(names).toEqual([
      'settings',
      'mcp config',
      'characters',
      'instagram settings',
      'database',
      'model ada',
      'model sage',
      'mcp tools',
      'discord ada',
      'discord ada commands',
      'discord sage',
      'ftp',
      'public url',
      'instagram INSTAGRAM_ACCESS_TOKEN',
      `instagram quota ${ACCOUNT_ID}`,
    ]);
    const line = (name: string) => formatResult(results.find((r) => r.name === name)!);
    expect(line('settings')).toBe(`ok    settings: read from the environment only (no ${NO_ENV_FILE})`);
    expect(line('characters')).toBe('ok    characters: ada, sage');
    expect(line('database')).toMatch(
      /^ok {4}database: pglite at .*\/\.carrier\/pglite: all \d+ migrations applied$/,
    );
    expect(line('model ada')).toBe(
      `ok    model ada: openai gpt-4.1-mini at ${peers.env.OPENAI_BASE_URL}; the key works`,
    );
    expect(line('model sage')).toBe(
      `ok    model sage: anthropic claude-sonnet-5-5 at ${peers.env.ANTHROPIC_BASE_URL}; the key works`,
    );
    expect(line('mcp tools')).toMatch(
      new RegExp(`^ok {4}mcp tools: ${peers.mcpUrl}: \\d+ tools, allowed: echo, get-sum$`),
    );
    expect(line('discord ada')).toBe(
      `ok    discord ada: application ${peers.app.applicationId} (Ada), interactions at https://carrier.example/discord/ada/interactions`,
    );
    expect(line('discord ada commands')).toBe('ok    discord ada commands: /ask, /forget');
    expect(line('discord sage')).toBe('skip  discord sage: not on Discord (no DISCORD_SAGE_PUBLIC_KEY)');
    expect(line('public url')).toBe(`ok    public url: ${peers.env.HTTP_SERVER} serves what FTP uploads`);
    expect(line(`instagram quota ${ACCOUNT_ID}`)).toBe(
      `ok    instagram quota ${ACCOUNT_ID}: 0 of 50 posts in the last 24 h`,
    );
    expect(peers.ftp.uploads).toHaveLength(1);
  }, 120_000);
});

describe('carrier doctor with broken settings', () => {
  it('names each broken setting with its fix, and keeps the rest green', async () => {
    const results = await doctor(
      {
        FTP_PASSWORD: 'wrong-password',
        INSTAGRAM_ACCESS_TOKEN: 'expired-token',
        CARRIER_DATA_DIR: peers.staleDataDir,
        DISCORD_ADA_PUBLIC_KEY: testDiscordApp().publicKey,
        OPENAI_API_KEY: 'sk-revoked',
      },
      { mcpFile: peers.brokenMcpFile },
    );
    const app = `application ${peers.app.applicationId} (Ada)`;
    expect(results.filter((r) => !r.ok).map(formatResult)).toEqual([
      `FAIL  database: pglite at ${join(peers.staleDataDir, 'pglite')} is missing migration ${peers.newestMigration}; fix: run \`npx carrier memory init\` (\`npm start\` also migrates the embedded store)`,
      'FAIL  model ada: openai refused OPENAI_API_KEY (HTTP 401: Incorrect API key provided); fix: set OPENAI_API_KEY in .env or the environment to a valid key',
      expect.stringMatching(
        /^FAIL {2}mcp tools: cannot connect to http:\/\/127\.0\.0\.1:\d+\/mcp \(fetch failed: ECONNREFUSED\); fix: start the server, or correct mcpServers\.tools\.url in .*closed-port\.json$/,
      ),
      `FAIL  discord ada: DISCORD_ADA_PUBLIC_KEY is not the public key of ${app}: every interaction would be refused; fix: set DISCORD_ADA_PUBLIC_KEY in .env or the environment to the Public Key of ${app} (developer portal, General Information)`,
      `FAIL  ftp: 127.0.0.1:${peers.ftp.port} refused the login of "carrier" (530 bad credentials); fix: set FTP_USERNAME and FTP_PASSWORD in .env or the environment to the FTP account's`,
      `FAIL  instagram INSTAGRAM_ACCESS_TOKEN: Meta refused INSTAGRAM_ACCESS_TOKEN (Meta code 190, subcode 463: Error validating access token: Session has expired); fix: create a new long-lived token for account ${ACCOUNT_ID} and set INSTAGRAM_ACCESS_TOKEN in .env or the environment`,
    ]);
    const green = results.filter((r) => r.ok).map((r) => r.name);
    expect(green).toEqual(
      expect.arrayContaining(['settings', 'characters', 'model sage', 'discord ada commands']),
    );
  }, 120_000);
});
