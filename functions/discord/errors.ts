import { CarrierError } from '../errors.ts';

/**
 * The base of this module's user-fixable errors: Discord refused what we sent (a bad bot token,
 * an application or guild it does not know) or could not be reached. Messages name the setting
 * or flag to fix, never a secret's value.
 */
export class DiscordError extends CarrierError {
  override name = 'DiscordError';
}

/** A Discord setting that is missing or unusable, e.g. no application id for a character. */
export class DiscordConfigError extends DiscordError {
  override name = 'DiscordConfigError';
}
