import { DiscordConfigError } from './errors.ts';
import { envIdPart } from '../config/env-names.ts';

/** Discord ids (applications, servers, users) are snowflakes: 17 to 20 digits. */
export const SNOWFLAKE = /^\d{17,20}$/;

/** One character's Discord application, as far as it is configured. */
export interface DiscordSettings {
  character: string;
  /** Hex Ed25519 key from the developer portal: verifies interactions. Not a secret. */
  publicKey?: string;
  applicationId?: string;
  /** Only `carrier discord register` needs it; replies use the interaction token instead. */
  botToken?: string;
}

export type DiscordSetting = Exclude<keyof DiscordSettings, 'character'>;

/** The per-character suffix and the shared fallback variable of each setting. */
const VARIABLES: Record<DiscordSetting, { suffix: string; fallback: string }> = {
  publicKey: { suffix: 'PUBLIC_KEY', fallback: 'DISCORD_PUBLIC_KEY' },
  applicationId: { suffix: 'APPLICATION_ID', fallback: 'DISCORD_APPLICATION_ID' },
  botToken: { suffix: 'BOT_TOKEN', fallback: 'DISCORD_API_TOKEN' },
};

/**
 * The variables that may hold a setting, most specific first: `DISCORD_<ID>_<SETTING>` with the
 * character id upper-cased and every non-alphanumeric as `_`, then the shared fallback.
 *
 * @example
 * discordVariables('night-owl', 'publicKey'); // ['DISCORD_NIGHT_OWL_PUBLIC_KEY', 'DISCORD_PUBLIC_KEY']
 */
export function discordVariables(character: string, setting: DiscordSetting): [string, string] {
  const { suffix, fallback } = VARIABLES[setting];
  return [`DISCORD_${envIdPart(character)}_${suffix}`, fallback];
}

/**
 * Reads a character's Discord settings from an env or secrets record; blank values count as unset
 * so an empty line in `.env` falls through to the shared variable.
 *
 * @example
 * const settings = discordSettings('ada', process.env);
 * settings.publicKey; // DISCORD_ADA_PUBLIC_KEY, else DISCORD_PUBLIC_KEY
 */
export function discordSettings(character: string, env: Record<string, string | undefined>): DiscordSettings {
  const settings: DiscordSettings = { character };
  for (const setting of Object.keys(VARIABLES) as DiscordSetting[]) {
    const value = discordVariables(character, setting)
      .map((name) => env[name]?.trim())
      .find((v) => v);
    if (value) settings[setting] = value;
  }
  return settings;
}

/**
 * A setting that must be there, or a DiscordConfigError naming the variables to set.
 *
 * @example
 * const token = requireDiscordSetting(discordSettings('ada', process.env), 'botToken');
 */
export function requireDiscordSetting(settings: DiscordSettings, setting: DiscordSetting): string {
  const value = settings[setting];
  if (value) return value;
  const [specific, fallback] = discordVariables(settings.character, setting);
  throw new DiscordConfigError(
    `no Discord ${describe(setting)} for character "${settings.character}"; set ${specific} (or ${fallback} for every character)`,
    'discord_setting_missing',
  );
}

function describe(setting: DiscordSetting): string {
  return { publicKey: 'public key', applicationId: 'application id', botToken: 'bot token' }[setting];
}
