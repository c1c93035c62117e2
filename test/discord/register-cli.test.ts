import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCharacter } from '#core/characters/load.ts';
import { discordCommands } from '#core/discord/commands.ts';
import { inProject, runCommand } from '#test/cli/in-process.ts';
import { runCli } from '#test/cli/run-cli.ts';
import { register as registerDiscord } from '../../bin/commands/discord.ts';
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

/** `carrier discord ...` in this process, with `env` set and no .env read. */
const discordCommand = (variables: Record<string, string>, ...args: string[]) =>
  inProject(process.cwd(), { ...variables, CARRIER_ENV_FILE: '/dev/null' }, () =>
    runCommand('discord', registerDiscord, 'discord', ...args),
  );

// The variations live in register.test.ts.
describe('carrier discord register', () => {
  it('prints the commands JSON with --dry-run and calls nothing', async () => {
    const result = await discordCommand(env(), 'register', 'ada', '--dry-run');
    expect(result.exitCode).toBeUndefined();
    expect(JSON.parse(result.stdout)).toEqual(discordCommands(await loadCharacter('ada')));
    expect(result.stderr).toContain(`would PUT /applications/${APP}/commands`);
    expect(discord.requests).toEqual([]);
  });

  // A real process: its exit code and stdout.
  it("replaces the character's commands and says where", async () => {
    const result = await runCli(['discord', 'register', 'ada'], env());
    expect(result).toMatchObject({
      code: 0,
      stdout: `registered /ask, /forget for ada on application ${APP} globally (may take up to an hour to appear)\n`,
    });
    expect(discord.commands(APP).map((c) => c.name)).toEqual(['ask', 'forget']);
  });

  it('refuses a DISCORD_API_URL that is not a URL as a setting to fix, before any request', async () => {
    const sent = discord.requests.length;
    const result = await discordCommand(env({ DISCORD_API_URL: 'notaurl' }), 'register', 'ada');
    expect(result).toMatchObject({
      stdout: '',
      stderr:
        'carrier: DISCORD_API_URL=notaurl: not a URL; set it to https://discord.com/api or leave it unset\n',
      exitCode: 1,
    });
    expect(discord.requests).toHaveLength(sent);
  });

  it('names the missing setting in one line and exits 1', async () => {
    const result = await discordCommand(env({ DISCORD_ADA_BOT_TOKEN: '' }), 'register', 'ada');
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe(
      'carrier: no Discord bot token for character "ada"; set DISCORD_ADA_BOT_TOKEN (or DISCORD_API_TOKEN for every character)',
    );
  });
});
