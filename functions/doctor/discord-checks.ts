import { pascalId } from '../characters/character-id.ts';
import type { Character } from '../characters/schema.ts';
import { discordCommands } from '../discord/commands.ts';
import { discordSettings, discordVariables, SNOWFLAKE } from '../discord/settings.ts';
import { DISCORD_PUBLIC_KEY } from '../discord/verify.ts';
import { failed, messageOf, passed, ProbeError, skipped, type CheckResult } from './check.ts';
import { settingsHome } from './config-checks.ts';
import type { DoctorProbes } from './probes.ts';

type Probes = Pick<DoctorProbes, 'discordApplication' | 'discordCommands'>;

/**
 * A character's Discord application: its public key and id are well formed, the bot token is
 * accepted, it belongs to that application, the key matches the application's, Discord has an
 * Interactions Endpoint URL, and the registered commands are the character's.
 *
 * @example
 * await checkDiscord(ada, { env, deployed: false, probes });
 */
export async function checkDiscord(
  character: Character,
  options: {
    env: Record<string, string | undefined>;
    deployed: boolean;
    probes: Probes;
    /** With a deployment: its environment file, where the public key and application id live. */
    environmentFile?: string;
  },
): Promise<CheckResult[]> {
  const { id } = character;
  const name = `discord ${id}`;
  const settings = discordSettings(id, options.env);
  const variable = (s: Parameters<typeof discordVariables>[1]) => discordVariables(id, s)[0];
  const home = settingsHome(options.deployed);
  // A deployment's public key and application id come from its environment file, the token from its secret.
  const setIn = (s: 'publicKey' | 'applicationId') =>
    options.environmentFile
      ? `set discord.${id}.${s} in ${options.environmentFile}`
      : `set ${variable(s)} in ${home}`;
  if (!settings.publicKey && !settings.applicationId && !settings.botToken) {
    return [skipped(name, `not on Discord (no ${variable('publicKey')})`)];
  }
  const results: CheckResult[] = [];
  if (!settings.publicKey || !DISCORD_PUBLIC_KEY.test(settings.publicKey)) {
    const problem = settings.publicKey
      ? `${variable('publicKey')} is not 64 hex digits`
      : `${variable('publicKey')} is not set`;
    results.push(
      failed(
        name,
        `${problem}: interactions cannot be verified`,
        `${setIn('publicKey')} to the application's Public Key (developer portal, General Information)`,
      ),
    );
  }
  if (settings.applicationId && !SNOWFLAKE.test(settings.applicationId)) {
    results.push(
      failed(
        name,
        `${variable('applicationId')} is not an application id (17-20 digits)`,
        `${setIn('applicationId')} to the Application ID from the developer portal`,
      ),
    );
  }
  if (!settings.botToken) {
    results.push(
      skipped(`${name} application`, `set ${variable('botToken')} to check the application and its commands`),
    );
    return results;
  }
  let app: Awaited<ReturnType<Probes['discordApplication']>>;
  try {
    app = await options.probes.discordApplication(settings.botToken);
  } catch (error) {
    const rejected = error instanceof ProbeError && error.kind === 'rejected';
    return [
      ...results,
      rejected
        ? failed(
            name,
            `Discord refused the bot token (${messageOf(error)})`,
            `set ${variable('botToken')} in ${home} to the token from the developer portal (Bot, Reset Token)`,
          )
        : failed(
            name,
            `cannot reach Discord (${messageOf(error)})`,
            'check the network, or DISCORD_API_URL if you set it',
          ),
    ];
  }
  const appName = `application ${app.id} (${app.name})`;
  if (settings.applicationId && settings.applicationId !== app.id) {
    results.push(
      failed(
        name,
        `the bot token belongs to ${appName}, not ${variable('applicationId')}=${settings.applicationId}`,
        `${setIn('applicationId')} to ${app.id}, or the bot token to that application's`,
      ),
    );
  }
  if (
    settings.publicKey &&
    DISCORD_PUBLIC_KEY.test(settings.publicKey) &&
    settings.publicKey.toLowerCase() !== app.verifyKey.toLowerCase()
  ) {
    results.push(
      failed(
        name,
        `${variable('publicKey')} is not the public key of ${appName}: every interaction would be refused`,
        `${setIn('publicKey')} to the Public Key of ${appName} (developer portal, General Information)`,
      ),
    );
  }
  if (!app.interactionsEndpointUrl) {
    results.push(
      failed(
        name,
        `${appName} has no Interactions Endpoint URL: Discord sends its commands nowhere`,
        `set it in the developer portal to the stack's DiscordInteractionsUrl${pascalId(id)} output (locally, a tunnel to /discord/${id}/interactions)`,
      ),
    );
  }
  results.push(await checkCommands(character, app.id, settings.botToken, options.probes));
  if (results.every((r) => r.ok))
    results.unshift(passed(name, `${appName}, interactions at ${app.interactionsEndpointUrl}`));
  return results;
}

async function checkCommands(
  character: Character,
  applicationId: string,
  token: string,
  probes: Probes,
): Promise<CheckResult> {
  const name = `discord ${character.id} commands`;
  const fix = `run \`npx carrier discord register ${character.id}\``;
  let registered: Array<{ name: string; description: string }>;
  try {
    registered = await probes.discordCommands(token, applicationId);
  } catch (error) {
    return failed(name, `cannot read the registered commands (${messageOf(error)})`, fix);
  }
  // Carrier's commands are all slash commands, which have descriptions.
  const wanted = discordCommands(character) as Array<{ name: string; description: string }>;
  const missing = wanted.filter((w) => !registered.some((r) => r.name === w.name));
  const changed = wanted.filter((w) =>
    registered.some((r) => r.name === w.name && r.description !== w.description),
  );
  const extra = registered.filter((r) => !wanted.some((w) => w.name === r.name));
  const differences = [
    ...missing.map((c) => `/${c.name} is missing`),
    ...changed.map((c) => `/${c.name} is outdated`),
    ...extra.map((c) => `/${c.name} is not Carrier's`),
  ];
  if (differences.length) return failed(name, `registered commands differ: ${differences.join(', ')}`, fix);
  return passed(name, wanted.map((c) => `/${c.name}`).join(', '));
}
