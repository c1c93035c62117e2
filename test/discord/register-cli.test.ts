import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCharacter } from '#core/characters/load.ts';
import { discordCommands } from '#core/discord/commands.ts';
import { runCli } from '#test/cli/run-cli.ts';
import { FakeDiscordApi } from '#test/fakes/discord-api.ts';

const APP = '123456789012345678';
const BOT_TOKEN = 'bot-token-for-tests';
let discord: FakeDiscordApi;

beforeAll(async () => {
  discord = await FakeDiscordApi.start({ botToken: BOT_TOKEN });
});
afterAll(() => discord.close());

const env = (overrides: Record<string, string> = {}) => ({
  DISCORD_API_URL: discord.url,
  DISCORD_ADA_APPLICATION_ID: APP,
  DISCORD_ADA_BOT_TOKEN: BOT_TOKEN,
  ...overrides,
});

// Each case starts a CLI process; the variations live in register.test.ts.
describe('carrier discord register', () => {
  it('prints the commands JSON with --dry-run and calls nothing', async () => {
    const result = await runCli(['discord', 'register', 'ada', '--dry-run'], env());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(discordCommands(await loadCharacter('ada')));
    expect(result.stderr).toContain(`would PUT /applications/${APP}/commands`);
    expect(discord.requests).toEqual([]);
  });

  it("replaces the character's commands and says where", async () => {
    const result = await runCli(['discord', 'register', 'ada'], env());
    expect(result).toMatchObject({
      code: 0,
      stdout: `registered /ask, /forget for ada on application ${APP} globally (may take up to an hour to appear)\n`,
    });
    expect(discord.commands(APP).map((c) => c.name)).toEqual(['ask', 'forget']);
  });

  it('names the missing setting in one line and exits 1', async () => {
    const result = await runCli(['discord', 'register', 'ada'], env({ DISCORD_ADA_BOT_TOKEN: '' }));
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'carrier: no Discord bot token for character "ada"; set DISCORD_ADA_BOT_TOKEN (or DISCORD_API_TOKEN for every character)',
    );
  });
});
