import { lazyProbes } from '../adapters/probes/lazy-probes.ts';
import type { Character } from '../characters/schema.ts';
import type { Settings } from '../config/settings.ts';
import { loadSettings } from './settings.ts';
import { runChecks, skipped, withDeadlines, type Check, type CheckResult } from '../doctor/check.ts';
import { checkInstagramSettings, checkSecretKeys, checkSettings } from '../doctor/config-checks.ts';
import { checkDiscord } from '../doctor/discord-checks.ts';
import { checkCharacters, checkMcpConfig } from '../doctor/file-checks.ts';
import { checkInstagram } from '../doctor/instagram-checks.ts';
import { checkMediaHost } from '../doctor/media-checks.ts';
import { checkMcpServer } from '../doctor/mcp-checks.ts';
import { checkModel } from '../doctor/model-checks.ts';
import type { DoctorProbes, ModelTarget } from '../doctor/probes.ts';
import { checkStore } from '../doctor/store-checks.ts';
import type { McpConfig } from '../mcp/config.ts';
import { MCP_CONFIG_FILE } from '../mcp/config.ts';

/** What `--env <name>` adds: the deployment's characters, its secret's keys and its non-secret variables. */
export interface DoctorDeployment {
  name: string;
  /** Its environment file, `config/environments/<name>.json`. */
  file: string;
  characters: string[];
  /** Each key with the concern whose secret (`carrier/<env>/<concern>`) holds it. */
  secretKeys: ReadonlyArray<{ name: string; why: string; concern: string }>;
  /** Variables the stack sets on the functions from the environment file (Discord public keys and ids). */
  env: Record<string, string>;
}

export interface DoctorOptions {
  /** The process environment; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  envFile?: string;
  charactersDir?: string;
  mcpFile?: string;
  /** Also spend one authenticated request per model provider and key. */
  online?: boolean;
  /** Per check. Default 10 s. */
  timeoutMs?: number;
  deployment?: DoctorDeployment;
  /** Replaces real probes (tests); the rest stay real. */
  probes?: Partial<DoctorProbes>;
  now?: Date;
}

/**
 * Everything a deployment needs, checked as the runtime would use it: settings (and with a
 * deployment, the secret's keys), character files, the MCP config and servers, each
 * character's model and Discord application, the store and its migrations, FTP and the
 * public URL, and each Instagram account. Never changes anything but a probe file on FTP.
 *
 * @example
 * const results = await runDoctor({ online: true });
 * process.exitCode = results.every((r) => r.ok) ? 0 : 1;
 */
export async function runDoctor(options: DoctorOptions = {}): Promise<CheckResult[]> {
  const deployed = Boolean(options.deployment);
  const loaded = await checkSettings(
    () =>
      loadSettings({
        ...(options.env ? { env: options.env } : {}),
        ...(options.envFile ? { envFile: options.envFile } : {}),
      }),
    deployed,
  );
  if (!loaded.settings) return loaded.results;
  const settings = loaded.settings;
  const env = { ...settings.env, ...options.deployment?.env };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const probes: DoctorProbes = withDeadlines(
    { ...lazyProbes({ timeoutMs, discordApiUrl: env.DISCORD_API_URL }), ...options.probes },
    timeoutMs,
  );
  const mcpFile = options.mcpFile ?? MCP_CONFIG_FILE;
  const mcp = await checkMcpConfig(mcpFile);
  const characters = await checkCharacters(
    options.charactersDir ?? 'characters',
    mcp.mcp,
    options.deployment?.characters,
  );
  const instagram = await checkInstagramSettings(await instagramEnv(settings, env, deployed), deployed);
  const store = checkStore(env, { deployed, probe: probes.store });
  const modelProbe = options.online ? memo(probes.model) : undefined;
  const checks: Array<{ name: string; run: Check }> = [
    { name: 'database', run: async () => (await store).results },
    ...characters.characters.map((c) => modelCheck(c, env, deployed, modelProbe)),
    ...mcpChecks(characters.characters, mcp.mcp, { file: mcpFile, deployed, env, probe: probes.mcpTools }),
    ...characters.characters.map((c) => ({
      name: `discord ${c.id}`,
      run: () =>
        checkDiscord(c, {
          env,
          deployed,
          probes,
          ...(options.deployment ? { environmentFile: options.deployment.file } : {}),
        }),
    })),
  ];
  const ig = instagram.instagram;
  if (ig) {
    checks.push({ name: 'ftp', run: () => checkMediaHost(ig, { deployed, probe: probes.ftp }) });
    checks.push({
      name: 'instagram',
      run: async () =>
        checkInstagram(ig, {
          deployed,
          probe: probes.instagramQuota,
          tokens: (await store).facts?.tokens,
          now: options.now ?? new Date(),
        }),
    });
  }
  return [
    ...loaded.results,
    ...mcp.results,
    ...characters.results,
    ...instagram.results,
    ...(options.deployment ? deploymentSecret(options.deployment, env) : []),
    // Each probe has its own deadline; this one only catches a check that hangs between probes
    // (Discord makes two calls, Instagram waits for the store's token records first).
    ...(await runChecks(checks, { timeoutMs: timeoutMs * 3 })),
  ];
}

/** The secrets' keys; without CARRIER_SECRET_ARNS they are looked for in .env and the environment. */
function deploymentSecret(deployment: DoctorDeployment, env: Record<string, string>): CheckResult[] {
  const concerns = [...new Set(deployment.secretKeys.map((k) => k.concern))];
  const where =
    env.CARRIER_SECRET_ARNS || env.CARRIER_SECRET_ARN
      ? []
      : [
          skipped(
            'secret',
            `not read: pass --secret ${concerns.map((c) => `carrier/${deployment.name}/${c}`).join(',')} to check the deployed secrets' keys`,
          ),
        ];
  return [...where, ...checkSecretKeys(deployment.secretKeys, env)];
}

function modelCheck(
  character: Character,
  env: Record<string, string>,
  deployed: boolean,
  probe?: DoctorProbes['model'],
) {
  return {
    name: `model ${character.id}`,
    run: async () => {
      // selectModel builds the agents SDK's model: loaded only when a character needs checking.
      const { selectModel } = await import('../adapters/models/select.ts');
      return checkModel(character, { env, deployed, select: selectModel, ...(probe ? { probe } : {}) });
    },
  };
}

function mcpChecks(
  characters: Character[],
  mcp: McpConfig | undefined,
  options: Omit<Parameters<typeof checkMcpServer>[2], 'env'> & { env: Record<string, string> },
): Array<{ name: string; run: Check }> {
  const used = new Set(characters.flatMap((c) => c.mcp_servers ?? []));
  return Object.entries(mcp?.mcpServers ?? {}).map(([server, config]) => ({
    name: `mcp ${server}`,
    run: async () =>
      used.has(server)
        ? checkMcpServer(server, config, { ...options, env: (n) => options.env[n] })
        : skipped(`mcp ${server}`, 'no character uses it'),
  }));
}

/** The publisher's variables: locally the tokens the refresh wrote to the data folder win, as they do there. */
async function instagramEnv(settings: Settings, env: Record<string, string>, deployed: boolean) {
  if (deployed) return env;
  const { publisherEnv } = await import('./instagram-parts.ts');
  return publisherEnv(settings);
}

/** One request per provider, model, key and host, however many characters share them. */
function memo(probe: DoctorProbes['model']): DoctorProbes['model'] {
  const seen = new Map<string, Promise<void>>();
  return (target: ModelTarget) => {
    const key = JSON.stringify(target);
    let pending = seen.get(key);
    if (!pending) seen.set(key, (pending = probe(target)));
    return pending;
  };
}
