import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Character } from '#core/characters/schema.ts';
import { ProbeError, runChecks, withDeadlines } from '#core/doctor/check.ts';
import type { Settings } from '#core/config/settings.ts';
import { checkSecretKeys, checkSettings, settingsSource } from '#core/doctor/config-checks.ts';
import { checkDiscord } from '#core/doctor/discord-checks.ts';
import { checkInstagram } from '#core/doctor/instagram-checks.ts';
import { checkMcpServer } from '#core/doctor/mcp-checks.ts';
import { checkStore } from '#core/doctor/store-checks.ts';
import { probeStore } from '#core/adapters/probes/store-probe.ts';
import type { DoctorProbes, StoreFacts } from '#core/doctor/probes.ts';
import { formatResult } from '#core/doctor/report.ts';
import { parseInstagramSettings } from '#core/instagram/settings.ts';
import { mcpServerSchema } from '#core/mcp/config.ts';
import { testDiscordApp } from '#test/factories/discord.ts';

const lines = (results: Parameters<typeof formatResult>[0][]) => results.map(formatResult);
const ada: Character = { id: 'ada', name: 'Ada', source: 'characters/ada.json' };

describe('the secret keys check', () => {
  it('names each missing key and who needs it', () => {
    const required = [
      { name: 'DATABASE_URL', why: 'database: postgres' },
      { name: 'OPENAI_API_KEY', why: 'character ada' },
    ];
    expect(lines(checkSecretKeys(required, { DATABASE_URL: 'postgres://x' }))).toEqual([
      "FAIL  secret OPENAI_API_KEY: OPENAI_API_KEY is not set (character ada); fix: add OPENAI_API_KEY to the environment's secret (or .env for a check from this machine); see README, Deploy, step 4",
    ]);
    expect(lines(checkSecretKeys(required, { DATABASE_URL: 'x', OPENAI_API_KEY: 'y' }))).toEqual([
      'ok    secret keys: all 2 set: DATABASE_URL, OPENAI_API_KEY',
    ]);
  });
});

describe('the settings check', () => {
  const local = (envFile: Settings['envFile'], env: Record<string, string> = {}) =>
    ({ runtime: 'local', envFile, env }) as unknown as Settings;
  const withExample = () => true;
  const withoutExample = () => false;

  it('names the env file it read', async () => {
    const { results } = await checkSettings(async () => local({ path: '.env', found: true }), false);
    expect(lines(results)).toEqual(['ok    settings: read from .env and the environment']);
    expect(settingsSource(local({ path: 'ci.env', found: true }))).toBe('ci.env and the environment');
  });

  it('says when there was no .env, and how to start one where .env.example is', () => {
    const none = local({ path: '.env', found: false });
    expect(settingsSource(none, withExample)).toBe(
      'the environment only (no .env here; copy .env.example to start one)',
    );
    expect(settingsSource(none, withoutExample)).toBe('the environment only (no .env here)');
    expect(settingsSource(local({ path: '/tmp/x/.env', found: false }), withExample)).toBe(
      'the environment only (no /tmp/x/.env)',
    );
  });

  it('names the secrets a check from this machine reads', () => {
    const env = { CARRIER_SECRET_ARNS: 'carrier/dev/database,carrier/dev/models' };
    expect(settingsSource(local({ path: '.env', found: false }, env), withoutExample)).toBe(
      'the environment and secret carrier/dev/database,carrier/dev/models only (no .env here)',
    );
    expect(settingsSource({ runtime: 'lambda', env: {} } as unknown as Settings)).toBe(
      'the Lambda environment',
    );
  });
});

describe('the Instagram check', () => {
  const instagram = parseInstagramSettings({ INSTAGRAM_ACCOUNT_ID: '42', INSTAGRAM_ACCESS_TOKEN: 'tok' });
  const sha = createHash('sha256').update('tok').digest('hex');
  const now = new Date('2026-03-01T00:00:00Z');
  const tokens = (expiresAt: string): StoreFacts['tokens'] =>
    new Map([['42', { sha256: sha, expiresAt: new Date(expiresAt) }]]);

  it('warns a week before the token the store knows expires, and says when', async () => {
    const results = await checkInstagram(instagram, {
      deployed: true,
      probe: async () => ({ used: 3, total: 50 }),
      tokens: tokens('2026-03-04T00:00:00Z'),
      now,
    });
    expect(lines(results)).toEqual([
      "FAIL  instagram INSTAGRAM_ACCESS_TOKEN: INSTAGRAM_ACCESS_TOKEN expires in 3 days, on 2026-03-04; fix: check the token refresh's log (it renews tokens older than 24 h), or create a new long-lived token for account 42 and set INSTAGRAM_ACCESS_TOKEN in the environment's secret (or .env for a check from this machine)",
      'ok    instagram quota 42: 3 of 50 posts in the last 24 h',
    ]);
  });

  it('says when a token is fine for weeks, and ignores expiry recorded for another token', async () => {
    const far = await checkInstagram(instagram, {
      deployed: false,
      probe: async () => ({ used: 0 }),
      tokens: tokens('2026-04-20T00:00:00Z'),
      now,
    });
    expect(formatResult(far[0]!)).toBe(
      'ok    instagram INSTAGRAM_ACCESS_TOKEN: Meta accepts it; expires on 2026-04-20',
    );
    const other = new Map([['42', { sha256: 'another', expiresAt: new Date('2026-03-02T00:00:00Z') }]]);
    const unknown = await checkInstagram(instagram, {
      deployed: false,
      probe: async () => ({ used: 0 }),
      tokens: other,
      now,
    });
    expect(unknown[0]?.ok).toBe(true);
  });

  it('reports a used-up publishing quota and what happens next', async () => {
    const results = await checkInstagram(instagram, {
      deployed: false,
      probe: async () => ({ used: 25, total: 25 }),
      now,
    });
    expect(formatResult(results[1]!)).toBe(
      'FAIL  instagram quota 42: 25 of 25 posts in the last 24 h: publishing waits until the window frees up; fix: nothing to set: due posts publish as older ones leave the 24 h window; spread the schedule to stay under it',
    );
  });
});

describe('the Discord check', () => {
  const app = testDiscordApp();
  const env = {
    DISCORD_ADA_PUBLIC_KEY: app.publicKey,
    DISCORD_ADA_APPLICATION_ID: app.applicationId,
    DISCORD_ADA_BOT_TOKEN: 't',
  };
  const application = {
    id: app.applicationId,
    name: 'Ada',
    verifyKey: app.publicKey,
    interactionsEndpointUrl: 'https://x.example/i',
  };
  const probes = (
    commands: Array<{ name: string; description: string }>,
  ): Pick<DoctorProbes, 'discordApplication' | 'discordCommands'> => ({
    discordApplication: async () => application,
    discordCommands: async () => commands,
  });

  it("says which commands are missing or not Carrier's, and how to register them", async () => {
    const results = await checkDiscord(ada, {
      env,
      deployed: false,
      probes: probes([{ name: 'old', description: 'x' }]),
    });
    expect(lines(results)).toEqual([
      "FAIL  discord ada commands: registered commands differ: /ask is missing, /forget is missing, /old is not Carrier's; fix: run `npx carrier discord register ada`",
    ]);
  });

  it('names a refused bot token and a token of another application', async () => {
    const refused = await checkDiscord(ada, {
      env,
      deployed: false,
      probes: {
        ...probes([]),
        discordApplication: async () => Promise.reject(new ProbeError('401: 401: Unauthorized', 'rejected')),
      },
    });
    expect(lines(refused)).toEqual([
      'FAIL  discord ada: Discord refused the bot token (401: 401: Unauthorized); fix: set DISCORD_ADA_BOT_TOKEN in .env or the environment to the token from the developer portal (Bot, Reset Token)',
    ]);
    const other = await checkDiscord(ada, {
      env: { ...env, DISCORD_ADA_APPLICATION_ID: '123456789012345678' },
      deployed: false,
      probes: probes([]),
    });
    expect(formatResult(other[0]!)).toBe(
      `FAIL  discord ada: the bot token belongs to application ${app.applicationId} (Ada), not DISCORD_ADA_APPLICATION_ID=123456789012345678; fix: set DISCORD_ADA_APPLICATION_ID in .env or the environment to ${app.applicationId}, or the bot token to that application's`,
    );
  });

  it('checks the key alone when there is no bot token, pointing a deployment at its environment file', async () => {
    const results = await checkDiscord(ada, {
      env: { DISCORD_ADA_PUBLIC_KEY: 'abc' },
      environmentFile: 'config/environments/dev.json',
      deployed: true,
      probes: probes([]),
    });
    expect(lines(results)).toEqual([
      "FAIL  discord ada: DISCORD_ADA_PUBLIC_KEY is not 64 hex digits: interactions cannot be verified; fix: set discord.ada.publicKey in config/environments/dev.json to the application's Public Key (developer portal, General Information)",
      'skip  discord ada application: set DISCORD_ADA_BOT_TOKEN to check the application and its commands',
    ]);
  });
});

describe('the MCP server check', () => {
  const server = mcpServerSchema.parse({
    type: 'streamable-http',
    url: 'http://127.0.0.1:9/mcp',
    allowed_tools: ['echo', 'nope'],
  });
  const options = { file: 'config/mcp_servers.json', deployed: false, env: () => undefined };

  it('names allowed tools the server does not offer', async () => {
    const result = await checkMcpServer('tools', server, {
      ...options,
      probe: async () => ['echo', 'get-sum'],
    });
    expect(formatResult(result)).toBe(
      'FAIL  mcp tools: allowed_tools names nope, which tools does not offer (it offers: echo, get-sum); fix: correct mcpServers.tools.allowed_tools in config/mcp_servers.json',
    );
  });

  it('refuses a stdio server for a deployment', async () => {
    const stdio = mcpServerSchema.parse({ type: 'stdio', command: 'npx', args: ['server'] });
    const result = await checkMcpServer('local', stdio, {
      ...options,
      deployed: true,
      probe: async () => [],
    });
    expect(result).toMatchObject({ ok: false, problem: 'a stdio server cannot run on Lambda' });
  });

  it('refuses, for a deployment, a server on this machine or the LAN, which answers here but not the runner', async () => {
    const probe = async () => ['echo'];
    const at = (url: string, deployed: boolean) =>
      checkMcpServer('tools', mcpServerSchema.parse({ type: 'streamable-http', url }), {
        ...options,
        deployed,
        probe,
      });
    expect(formatResult(await at('http://127.0.0.1:3001/mcp', true))).toBe(
      "FAIL  mcp tools: http://127.0.0.1:3001/mcp: 127.0.0.1 is a loopback address (127.0.0.0/8), which the deployed runner does not connect to; fix: give mcpServers.tools.url in config/mcp_servers.json the server's public https address",
    );
    expect(await at('http://localhost:3001/mcp', true)).toMatchObject({ ok: false });
    expect(await at('http://10.0.0.7/mcp', true)).toMatchObject({ ok: false });
    expect(await at('https://mcp.example.com/mcp', true)).toMatchObject({ ok: true });
    expect(await at('http://127.0.0.1:3001/mcp', false)).toMatchObject({ ok: true });
  });
});

describe('the database check', () => {
  const facts = (applied: string[]): StoreFacts => ({
    kind: 'postgres',
    where: 'DATABASE_URL (db:5432)',
    exists: true,
    applied,
    expected: ['0001_a', '0002_b'],
    tokens: new Map(),
  });

  it('names migrations a newer Carrier applied', async () => {
    const { results } = await checkStore(
      { DATABASE_URL: 'postgres://db:5432/carrier' },
      { deployed: true, probe: async () => facts(['0001_a', '0002_b', '0003_c']) },
    );
    expect(lines(results)).toEqual([
      'FAIL  database: postgres at DATABASE_URL (db:5432) has migrations this code does not know (0003_c): a newer Carrier migrated it; fix: deploy the newer code, or point DATABASE_URL at the database this code belongs to',
    ]);
  });

  it("leaves this machine's PGlite out of a deployment's check", async () => {
    const { results } = await checkStore(
      {},
      { deployed: true, probe: () => Promise.reject(new Error('not called')) },
    );
    expect(lines(results)).toEqual([
      'skip  database: no DATABASE_URL or SUPABASE_URL here: set it to check the deployed database',
    ]);
  });

  it('tells a refused login from an unreachable server', async () => {
    const refused = await checkStore(
      {},
      {
        deployed: false,
        probe: () =>
          Promise.reject(
            new ProbeError(
              'cannot use the store at DATABASE_URL (db:5432): the password was rejected',
              'rejected',
            ),
          ),
      },
    );
    expect(refused.results[0]?.fix).toBe(
      'check the credentials in DATABASE_URL or SUPABASE_SERVICE_ROLE_KEY in .env or the environment',
    );
    const down = await checkStore(
      {},
      {
        deployed: false,
        probe: () => Promise.reject(new ProbeError('nothing is listening there', 'unreachable')),
      },
    );
    expect(down.results[0]?.fix).toBe(
      'check DATABASE_URL (or SUPABASE_URL) in .env or the environment, and that the database is up',
    );
  });
});

describe('the database check of a data folder in use', () => {
  /** A data folder whose lock this process holds, as the local stack (with `url`) or a command would. */
  async function heldFolder(holder: { url?: string }) {
    const home = await mkdtemp(join(tmpdir(), 'carrier-doctor-held-'));
    await mkdir(join(home, 'pglite'));
    await writeFile(join(home, 'pglite.lock'), JSON.stringify({ pid: process.pid, ...holder }));
    return { home, env: { CARRIER_DATA_DIR: home } };
  }

  it('reports the folder the local stack has open as in use by it, not as broken', async () => {
    const { home, env } = await heldFolder({ url: 'http://127.0.0.1:3000' });
    try {
      const { results } = await checkStore(env, { deployed: false, probe: probeStore });
      expect(lines(results)).toEqual([
        `ok    database: pglite at ${join(home, 'pglite')} is open in the local stack at http://127.0.0.1:3000 (pid ${process.pid}), which migrated it as it started`,
      ]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('asks to wait for another command holding the folder, naming its process', async () => {
    const { home, env } = await heldFolder({});
    try {
      const { results } = await checkStore(env, { deployed: false, probe: probeStore });
      expect(lines(results)).toEqual([
        `FAIL  database: the embedded store ${join(home, 'pglite')} is in use by process ${process.pid}: PGlite allows one process at a time; stop that process, or set DATABASE_URL to a Postgres both can share; fix: let that command finish (or stop it), then run \`npx carrier doctor\` again`,
      ]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('running checks', () => {
  it('fails a probe that does not answer in time as unreachable, so its check names the peer', async () => {
    const probes = withDeadlines({ ftp: () => new Promise<never>(() => {}) }, 50);
    const failure = await probes.ftp().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProbeError);
    expect(failure).toMatchObject({ kind: 'unreachable', message: 'no answer within 50 ms' });
  });

  it('turns a check that does not answer in time into a failure naming it, without waiting for it', async () => {
    const results = await runChecks(
      [
        { name: 'slow peer', run: () => new Promise(() => {}) },
        { name: 'fast', run: async () => ({ name: 'fast', ok: true }) },
      ],
      { timeoutMs: 50 },
    );
    expect(lines(results)).toEqual([
      'FAIL  slow peer: no answer within 50 ms; fix: check that the peer is up and reachable from here, or pass --timeout with more milliseconds',
      'ok    fast',
    ]);
  });
});
