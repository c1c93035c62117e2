import { envIdPart } from '#core/config/env-names.ts';
import type { Deployment } from './deployment.ts';

/**
 * DISCORD_<ID>_PUBLIC_KEY / _APPLICATION_ID from the environment file (public values, not
 * secrets): what the stack puts in the functions' environment, and what `carrier doctor --env`
 * checks against Discord.
 *
 * @example
 * discordEnvironment(deployment); // { DISCORD_ADA_PUBLIC_KEY: '…', DISCORD_ADA_APPLICATION_ID: '…' }
 */
export function discordEnvironment(deployment: Deployment): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [id, app] of Object.entries(deployment.config.discord)) {
    const prefix = `DISCORD_${envIdPart(id)}_`;
    vars[`${prefix}PUBLIC_KEY`] = app.publicKey;
    if (app.applicationId) vars[`${prefix}APPLICATION_ID`] = app.applicationId;
  }
  return vars;
}
