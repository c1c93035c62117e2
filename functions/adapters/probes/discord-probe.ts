import { DiscordAPIError } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { ProbeError } from '../../doctor/check.ts';
import type { DiscordApplication } from '../../doctor/probes.ts';
import { discordRest } from '../discord-rest/rest.ts';
import { networkReason, statusProbeError } from './reason.ts';

interface Options {
  apiUrl?: string;
  timeoutMs?: number;
}

/**
 * The application a bot token belongs to: GET /applications/@me, which needs nothing but the
 * token and answers with the application's id, name, public key and interactions URL.
 *
 * @example
 * const app = await probeDiscordApplication(botToken); // { id, name, verifyKey, interactionsEndpointUrl }
 */
export async function probeDiscordApplication(
  botToken: string,
  options: Options = {},
): Promise<DiscordApplication> {
  const app = (await get(botToken, Routes.currentApplication(), options)) as {
    id: string;
    name: string;
    verify_key: string;
    interactions_endpoint_url?: string | null;
  };
  return {
    id: app.id,
    name: app.name,
    verifyKey: app.verify_key,
    ...(app.interactions_endpoint_url ? { interactionsEndpointUrl: app.interactions_endpoint_url } : {}),
  };
}

/** The application's global slash commands as Discord holds them. */
export async function probeDiscordCommands(
  botToken: string,
  applicationId: string,
  options: Options = {},
): Promise<Array<{ name: string; description: string }>> {
  return (await get(botToken, Routes.applicationCommands(applicationId), options)) as Array<{
    name: string;
    description: string;
  }>;
}

async function get(token: string, route: `/${string}`, options: Options): Promise<unknown> {
  const rest = discordRest({
    token,
    ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
    retries: 0,
    timeout: options.timeoutMs ?? 10_000,
  });
  try {
    return await rest.get(route);
  } catch (error) {
    if (error instanceof DiscordAPIError) {
      throw statusProbeError(error.status, `${error.status}: ${error.message.split('\n')[0]}`, error);
    }
    throw new ProbeError(networkReason(error), 'unreachable', { cause: error });
  }
}
