import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '#core/errors.ts';
import { loadDeployment } from '../../lib/config/deployment.ts';

const minimal = { region: 'eu-west-1', characters: ['ada'], database: 'postgres' };
const character = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  bio: `${name} helps.`,
  ...extra,
});
const mcp = {
  mcpServers: {
    search: { type: 'streamable-http', url: 'https://mcp.example.com/mcp' },
    desktop: { type: 'stdio', command: 'npx', args: ['desktop-mcp'] },
    metadata: { type: 'sse', url: 'http://0xa9.0xfe.0xa9.0xfe/sse' },
  },
};

/** A throwaway project folder with one environment file, characters and an MCP config. */
function project(env: unknown, characters: Record<string, unknown> = { ada: character('Ada') }): string {
  const root = mkdtempSync(join(tmpdir(), 'carrier-env-'));
  mkdirSync(join(root, 'config/environments'), { recursive: true });
  mkdirSync(join(root, 'characters'));
  writeFileSync(join(root, 'config/environments/test.json'), JSON.stringify(env));
  writeFileSync(join(root, 'config/mcp_servers.json'), JSON.stringify(mcp));
  for (const [id, file] of Object.entries(characters)) {
    writeFileSync(join(root, 'characters', `${id}.json`), JSON.stringify(file));
  }
  return root;
}

async function problems(root: string, name = 'test'): Promise<string[]> {
  const error = await loadDeployment(name, root).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message.split('\n').map((line) => line.replace(`${root}/`, ''));
}

describe('environment config', () => {
  it('fills defaults for everything but region, characters and database', async () => {
    const { config, characters, mcp } = await loadDeployment('test', project(minimal));
    expect(config.queue).toEqual({
      maxReceiveCount: 3,
      batchSize: 1,
      maxConcurrency: 5,
      apiMaxConcurrency: 2,
    });
    expect(config.functions.runner).toEqual({ memoryMb: 1024, timeoutSeconds: 120 });
    expect(config.instagram).toMatchObject({ enabled: true, api: 'instagram', publishEveryMinutes: 5 });
    expect(characters.map((c) => c.id)).toEqual(['ada']);
    expect(mcp).toEqual({ mcpServers: {} });
  });

  it('names the environments that exist when the name is unknown', async () => {
    expect(await problems(project(minimal), 'staging')).toEqual([
      'config/environments/staging.json: unknown environment "staging"; known: test (create the file to add one)',
    ]);
  });

  it('asks for -c env=<name> when no environment is given', async () => {
    await expect(loadDeployment(undefined, project(minimal))).rejects.toThrow(
      'no environment given: run `npx cdk synth -c env=<name>` with one of test',
    );
  });

  it('names the file and field of a missing or mistyped setting', async () => {
    const { database: _, ...noDatabase } = minimal;
    expect(await problems(project({ ...noDatabase, queue: { batchSize: '1' } }))).toEqual([
      'config/environments/test.json: database: expected supabase (SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY) or postgres (DATABASE_URL)',
      'config/environments/test.json: queue.batchSize: expected number, got string',
    ]);
  });

  it('names an unknown budget time zone and a negative cap', async () => {
    const budgets = { timeZone: 'Mars/Olympus', userDailyUsd: -1 };
    expect(await problems(project({ ...minimal, budgets }))).toEqual([
      'config/environments/test.json: budgets.timeZone: unknown time zone; use an IANA name like Europe/Paris or UTC',
      'config/environments/test.json: budgets.userDailyUsd: expected dollars, 0 or more',
    ]);
  });

  it('rejects a misspelt key instead of ignoring it', async () => {
    const lines = await problems(project({ ...minimal, functions: { runner: { memoryMB: 2048 } } }));
    expect(lines).toEqual([
      expect.stringMatching(/^config\/environments\/test\.json: functions\.runner: .*memoryMB/),
    ]);
  });

  it('keeps the runner timeout short enough for a retry inside Discord’s 15-minute window', async () => {
    const lines = await problems(project({ ...minimal, functions: { runner: { timeoutSeconds: 300 } } }));
    expect(lines).toEqual([
      "config/environments/test.json: functions.runner.timeoutSeconds: at most 150: the queue's visibility timeout is 6x this, and a retried turn must arrive within Discord's 15-minute reply window",
    ]);
  });

  it('names the unknown character and the ones that exist', async () => {
    const lines = await problems(project({ ...minimal, characters: ['ada', 'bob'] }));
    expect(lines).toEqual([
      'config/environments/test.json: characters[1]: unknown character "bob"; known in characters/: ada',
    ]);
  });

  it('refuses Discord settings for a character that is not deployed', async () => {
    const publicKey = 'ab'.repeat(32);
    const lines = await problems(project({ ...minimal, discord: { juniper: { publicKey } } }));
    expect(lines).toEqual([
      'config/environments/test.json: discord.juniper: "juniper" is not deployed here; add it to characters or remove this entry',
    ]);
  });

  it('reports a deployed character file with a wrong type by file and field', async () => {
    const lines = await problems(project(minimal, { ada: { name: 42 } }));
    expect(lines).toEqual(['characters/ada.json: name: expected string, got number']);
  });

  it('refuses a stdio MCP server used by a deployed character, saying how to serve it over HTTP', async () => {
    const root = project(minimal, { ada: character('Ada', { mcp_servers: ['search', 'desktop'] }) });
    const [line, ...rest] = await problems(root);
    expect(rest).toEqual([]);
    expect(line).toContain('config/mcp_servers.json: mcpServers.desktop.type: MCP server "desktop" is stdio');
    expect(line).toContain('deployed character "ada" uses it');
    expect(line).toContain('set "type": "streamable-http" with its "url"');
  });

  it('refuses an MCP server on a non-public address used by a deployed character, in any spelling', async () => {
    const root = project(minimal, { ada: character('Ada', { mcp_servers: ['search', 'metadata'] }) });
    expect(await problems(root)).toEqual([
      'config/mcp_servers.json: mcpServers.metadata.url: MCP server "metadata": url host 169.254.169.254 is a link-local address (169.254.0.0/16); deployed, tool servers must be on public addresses',
    ]);
  });

  it('reports every mistake in the OIDC issuers, one line each', async () => {
    const good = {
      issuer: 'https://tenant.eu.auth0.com/',
      tenant: 'acme',
      audiences: ['https://api.carrier.example'],
      scopes: { 'carrier:chat': ['messages'] },
    };
    const oidc = {
      auth0: good,
      copy: { ...good, scopes: {}, defaultScopes: [] },
      Bad_Name: good,
      local: {
        ...good,
        issuer: 'http://127.0.0.1:8080/realms/x',
        jwksUri: 'https://169.254.169.254/keys',
        tenant: 'Acme Corp',
        audiences: [],
        scopes: { admin: ['posts'] },
        algorithms: ['HS256', 'none'],
      },
    };
    const file = 'config/environments/test.json';
    expect(await problems(project({ ...minimal, oidc }))).toEqual([
      `${file}: oidc.Bad_Name: expected an issuer name: a lower-case letter, then up to 15 letters, digits or -`,
      `${file}: oidc.local.tenant: expected a tenant: 1-32 lower-case letters, digits, - or _ (as \`carrier keys create --tenant\`)`,
      `${file}: oidc.local.audiences: list at least one audience: the API identifier (Auth0), the app client id (Cognito) or "authenticated" (Supabase)`,
      `${file}: oidc.local.scopes.admin[0]: expected one of agents:read, messages, memories:read, memories:write: posts, schedules and usage act on the whole tenant and stay with API keys`,
      `${file}: oidc.local.algorithms[0]: expected an asymmetric algorithm (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519); HS256 and none are refused`,
      `${file}: oidc.local.algorithms[1]: expected an asymmetric algorithm (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519); HS256 and none are refused`,
    ]);
    const { local: _, Bad_Name: __, ...rest } = oidc;
    expect(await problems(project({ ...minimal, oidc: rest }))).toEqual([
      `${file}: oidc.copy.issuer: the same issuer as "auth0"; keep one`,
      `${file}: oidc.copy.scopes: grants nothing: map a token scope to Carrier scopes, or give defaultScopes`,
    ]);
    const local = {
      ...good,
      issuer: 'http://127.0.0.1:8080/realms/x',
      jwksUri: 'https://169.254.169.254/keys',
    };
    expect(await problems(project({ ...minimal, oidc: { local } }))).toEqual([
      `${file}: oidc.local.issuer: http://127.0.0.1:8080/realms/x is not https; the API fetches the issuer's keys over https`,
      `${file}: oidc.local.jwksUri: 169.254.169.254 is a link-local address (169.254.0.0/16); deployed, the issuer must be public`,
    ]);
  });

  it('ships only the MCP servers the deployed characters use', async () => {
    const root = project(minimal, {
      ada: character('Ada', { mcp_servers: ['search'] }),
      bob: character('Bob'),
    });
    const { mcp: shipped } = await loadDeployment('test', root);
    expect(Object.keys(shipped.mcpServers)).toEqual(['search']);
  });
});

describe('the CDK app with bad config', () => {
  it('exits 1 with one line naming the file, and no stack trace', async () => {
    const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/cdk.ts'], {
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ env: 'staging' }),
        CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'carrier-cdk-out-')),
      },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'config/environments/staging.json: unknown environment "staging"; known: dev, prod (create the file to add one)',
    );
  });
});
