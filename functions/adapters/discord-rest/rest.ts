import { REST, type RESTOptions } from '@discordjs/rest';

export const DISCORD_API_URL = 'https://discord.com/api';

/**
 * A Discord REST client (rate limits, 429 `retry_after` and 5xx retries handled by
 * @discordjs/rest). The base URL comes from `apiUrl`, else `DISCORD_API_URL`, so tests and the
 * local stack can point it at a loopback fake. Runner and CLI only: it costs ~180 ms to import.
 *
 * @example
 * const rest = discordRest({ token: botToken });
 * await rest.put(Routes.applicationCommands(appId), { body: commands });
 */
export function discordRest(options: { apiUrl?: string; token?: string } & Partial<RESTOptions> = {}): REST {
  const { apiUrl, token, ...rest } = options;
  const client = new REST({
    api: apiUrl ?? (process.env.DISCORD_API_URL || DISCORD_API_URL),
    version: '10',
    ...rest,
  });
  return token ? client.setToken(token) : client;
}
