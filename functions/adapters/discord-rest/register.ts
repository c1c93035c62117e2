import { DiscordAPIError, type REST } from '@discordjs/rest';
import { Routes, type RESTPutAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { DiscordConfigError, DiscordError } from '../../discord/errors.ts';
import { discordVariables } from '../../discord/settings.ts';
import { DISCORD_API_URL } from './rest.ts';

export interface RegisterTarget {
  character: string;
  applicationId: string;
  /** A server to register in (instant, for testing) instead of globally. */
  guildId?: string;
}

/**
 * The Discord API base URL that DISCORD_API_URL gives (Discord's own when it is unset or blank),
 * checked before any request: a value that is not an http(s) URL is a setting to fix, not an
 * outage to wait out.
 *
 * @example
 * discordApiUrl(undefined); // 'https://discord.com/api'
 * discordApiUrl('notaurl'); // throws DiscordConfigError 'DISCORD_API_URL=notaurl: not a URL; …'
 */
export function discordApiUrl(value: string | undefined): string {
  const given = value?.trim();
  if (!given) return DISCORD_API_URL;
  const protocol = URL.canParse(given) ? new URL(given).protocol : undefined;
  if (protocol === 'http:' || protocol === 'https:') return given;
  throw new DiscordConfigError(
    `DISCORD_API_URL=${given}: not ${protocol ? 'an http(s)' : 'a'} URL; set it to ${DISCORD_API_URL} or leave it unset`,
    'discord_api_url_invalid',
  );
}

/** Where a bulk overwrite goes: the application's global commands or one guild's. */
export function commandsRoute(target: Omit<RegisterTarget, 'character'>): `/${string}` {
  return target.guildId
    ? Routes.applicationGuildCommands(target.applicationId, target.guildId)
    : Routes.applicationCommands(target.applicationId);
}

/**
 * Replaces the application's commands with exactly `commands` (Discord's bulk overwrite): running
 * it again with the same list changes nothing, and commands not in the list are removed.
 * Discord's refusals become one-line DiscordErrors that say what to fix.
 *
 * @example
 * await registerCommands(discordRest({ token }), { character: 'ada', applicationId }, discordCommands(ada));
 */
export async function registerCommands(
  rest: REST,
  target: RegisterTarget,
  commands: RESTPutAPIApplicationCommandsJSONBody,
): Promise<{ id: string; name: string }[]> {
  try {
    return (await rest.put(commandsRoute(target), { body: commands })) as { id: string; name: string }[];
  } catch (error) {
    throw explain(error, target, rest.options.api);
  }
}

function explain(error: unknown, target: RegisterTarget, api: string): Error {
  if (error instanceof DiscordAPIError) {
    if (error.status === 401) {
      const [specific, fallback] = discordVariables(target.character, 'botToken');
      return new DiscordConfigError(
        `Discord rejected the bot token for application ${target.applicationId} (401); set ${specific} (or ${fallback}) to the bot token from the developer portal`,
        'discord_token_rejected',
        { cause: error },
      );
    }
    const where = target.guildId
      ? `; check the application id and that the application is in guild ${target.guildId}`
      : '; check the application id';
    return new DiscordError(
      `Discord refused the commands (${error.status}, code ${String(error.code)}): ${error.message.split('\n')[0]}${error.status === 403 || error.status === 404 ? where : ''}`,
      'discord_refused',
      { cause: error },
    );
  }
  // 5xx after the client's retries, timeouts and refused connections: nothing to fix but to retry.
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  const message = error instanceof Error ? error.message : String(error);
  return new DiscordError(
    `could not reach Discord at ${api}: ${message}${typeof code === 'string' ? ` (${code})` : ''}; try again later`,
    'discord_unreachable',
    { cause: error },
  );
}
