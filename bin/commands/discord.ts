import type { Command } from 'commander';
import { loadCharacter } from '#core/characters/load.ts';
import { loadSettings } from '#core/wiring/settings.ts';
import { discordCommands } from '#core/discord/commands.ts';
import { DiscordConfigError } from '#core/discord/errors.ts';
import { commandsRoute, discordApiUrl, registerCommands } from '#core/adapters/discord-rest/register.ts';
import { discordRest } from '#core/adapters/discord-rest/rest.ts';
import {
  discordSettings,
  discordVariables,
  requireDiscordSetting,
  SNOWFLAKE,
} from '#core/discord/settings.ts';
import { action } from '../cli-errors.ts';

interface RegisterOptions {
  guild?: string;
  dryRun?: boolean;
}

/** `carrier discord …`: the subcommands of the `discord` command. */
export function register(discord: Command): void {
  discord
    .command('register')
    .description("replace a character's slash commands (/ask, /forget) on its Discord application")
    .argument('<character>', 'character id (a file name in characters/)')
    .option('--guild <id>', 'register in one server (shows up at once) instead of globally')
    .option('--dry-run', 'print the commands JSON and change nothing')
    .action(
      action(async (id: string, options: RegisterOptions) => {
        if (options.guild !== undefined && !SNOWFLAKE.test(options.guild)) {
          throw new DiscordConfigError(
            `--guild ${options.guild}: expected a server id (17-20 digits; Discord: right-click the server, Copy Server ID)`,
            'discord_guild_invalid',
          );
        }
        const character = await loadCharacter(id);
        const { env } = await loadSettings();
        const settings = discordSettings(id, env);
        const commands = discordCommands(character);
        if (options.dryRun) {
          const route = settings.applicationId
            ? commandsRoute({ applicationId: settings.applicationId, guildId: options.guild })
            : `/applications/<${discordVariables(id, 'applicationId')[0]}>/commands`;
          process.stderr.write(`dry run: would PUT ${route} with:\n`);
          process.stdout.write(`${JSON.stringify(commands, null, 2)}\n`);
          return;
        }
        const apiUrl = discordApiUrl(env.DISCORD_API_URL);
        const applicationId = requireDiscordSetting(settings, 'applicationId');
        const rest = discordRest({ token: requireDiscordSetting(settings, 'botToken'), apiUrl });
        const registered = await registerCommands(
          rest,
          { character: id, applicationId, guildId: options.guild },
          commands,
        );
        const where = options.guild
          ? `in guild ${options.guild}`
          : 'globally (may take up to an hour to appear)';
        process.stdout.write(
          `registered ${registered.map((c) => `/${c.name}`).join(', ')} for ${id} on application ${applicationId} ${where}\n`,
        );
      }),
    );
}
