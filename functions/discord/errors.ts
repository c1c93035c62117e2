import { CarrierError } from '../errors.ts';

/**
 * A Discord setting that is missing or unusable: no public key for a character, no application
 * id or bot token for `carrier discord register`. The message names the environment variables
 * to set, never their values.
 */
export class DiscordConfigError extends CarrierError {
  override name = 'DiscordConfigError';
}
