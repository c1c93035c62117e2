import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { discordCommands } from '#core/discord/commands.ts';
import { DiscordConfigError, DiscordError } from '#core/discord/errors.ts';
import { registerCommands } from '#core/adapters/discord-rest/register.ts';
import { discordRest } from '#core/adapters/discord-rest/rest.ts';
import { FakeDiscordApi } from '#test/fakes/discord-api.ts';

const APP = '123456789012345678';
const GUILD = '998877665544332211';
const BOT_TOKEN = 'bot-token-for-tests';
const commands = discordCommands({ name: 'Ada' });
let discord: FakeDiscordApi;

beforeAll(async () => {
  discord = await FakeDiscordApi.start({ botToken: BOT_TOKEN });
});
afterAll(() => discord.close());
beforeEach(() => discord.reset());

const rest = (token = BOT_TOKEN) => discordRest({ apiUrl: discord.url, token, retries: 0 });

describe('registering slash commands', () => {
  it('bulk-overwrites the global commands; a second run keeps the same commands and ids', async () => {
    const first = await registerCommands(rest(), { character: 'ada', applicationId: APP }, commands);
    expect(first.map((c) => c.name)).toEqual(['ask', 'forget']);
    const second = await registerCommands(rest(), { character: 'ada', applicationId: APP }, commands);
    expect(second.map((c) => c.id)).toEqual(first.map((c) => c.id));
    expect(discord.commands(APP).map((c) => c.name)).toEqual(['ask', 'forget']);
    expect(discord.requests.map((r) => [r.method, r.route, r.headers.authorization])).toEqual([
      ['PUT', `/applications/${APP}/commands`, `Bot ${BOT_TOKEN}`],
      ['PUT', `/applications/${APP}/commands`, `Bot ${BOT_TOKEN}`],
    ]);
  });

  it('registers in one guild when asked, leaving the global commands alone', async () => {
    await registerCommands(rest(), { character: 'ada', applicationId: APP, guildId: GUILD }, commands);
    expect(discord.commands(APP, GUILD).map((c) => c.name)).toEqual(['ask', 'forget']);
    expect(discord.commands(APP)).toEqual([]);
  });

  it('says which variable to fix when the bot token is rejected', async () => {
    const failing = registerCommands(rest('wrong'), { character: 'night-owl', applicationId: APP }, commands);
    await expect(failing).rejects.toBeInstanceOf(DiscordConfigError);
    await expect(failing).rejects.toThrow(
      `Discord rejected the bot token for application ${APP} (401); set DISCORD_NIGHT_OWL_BOT_TOKEN (or DISCORD_API_TOKEN) to the bot token from the developer portal`,
    );
  });

  it('points at the application id and the guild when Discord does not know them', async () => {
    discord.inject({ status: 403, code: 50001, message: 'Missing Access' });
    await expect(
      registerCommands(rest(), { character: 'ada', applicationId: APP, guildId: GUILD }, commands),
    ).rejects.toThrow(
      `Discord refused the commands (403, code 50001): Missing Access; check the application id and that the application is in guild ${GUILD}`,
    );
  });

  it('reports an unreachable Discord as a one-line error to retry', async () => {
    const closed = await FakeDiscordApi.start();
    await closed.close();
    const failing = registerCommands(
      discordRest({ apiUrl: closed.url, token: BOT_TOKEN, retries: 0 }),
      { character: 'ada', applicationId: APP },
      commands,
    );
    await expect(failing).rejects.toBeInstanceOf(DiscordError);
    await expect(failing).rejects.toThrow(
      /^could not reach Discord at http:\/\/127\.0\.0\.1:\d+\/api: .*try again later$/,
    );
  });
});
