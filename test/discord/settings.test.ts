import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiscordConfigError } from '#core/discord/errors.ts';
import { discordSettings, discordVariables, requireDiscordSetting } from '#core/discord/settings.ts';
import { servedCharacters } from '#core/discord/served-characters.ts';

describe('Discord settings per character', () => {
  it('names variables by the upper-cased id with non-alphanumerics as underscores', () => {
    expect(discordVariables('night-owl.v2', 'publicKey')).toEqual([
      'DISCORD_NIGHT_OWL_V2_PUBLIC_KEY',
      'DISCORD_PUBLIC_KEY',
    ]);
    expect(discordVariables('ada', 'applicationId')).toEqual([
      'DISCORD_ADA_APPLICATION_ID',
      'DISCORD_APPLICATION_ID',
    ]);
    expect(discordVariables('ada', 'botToken')).toEqual(['DISCORD_ADA_BOT_TOKEN', 'DISCORD_API_TOKEN']);
  });

  it('prefers the character variable and falls back to the shared one, skipping blanks', () => {
    const env = {
      DISCORD_ADA_PUBLIC_KEY: 'ada-key',
      DISCORD_PUBLIC_KEY: 'shared-key',
      DISCORD_ADA_APPLICATION_ID: '  ',
      DISCORD_APPLICATION_ID: 'shared-app',
      DISCORD_API_TOKEN: 'shared-token',
    };
    expect(discordSettings('ada', env)).toEqual({
      character: 'ada',
      publicKey: 'ada-key',
      applicationId: 'shared-app',
      botToken: 'shared-token',
    });
    expect(discordSettings('juniper', {})).toEqual({ character: 'juniper' });
  });

  it('throws a one-line error naming both variables when a required setting is missing', () => {
    const settings = discordSettings('night-owl', { DISCORD_API_TOKEN: 'x' });
    expect(requireDiscordSetting(settings, 'botToken')).toBe('x');
    expect(() => requireDiscordSetting(settings, 'applicationId')).toThrow(DiscordConfigError);
    expect(() => requireDiscordSetting(settings, 'applicationId')).toThrow(
      'no Discord application id for character "night-owl"; set DISCORD_NIGHT_OWL_APPLICATION_ID (or DISCORD_APPLICATION_ID for every character)',
    );
  });
});

describe('served characters', () => {
  it('takes CARRIER_CHARACTERS when set, else the character files', () => {
    expect(servedCharacters({ CARRIER_CHARACTERS: ' ada, juniper ,' })).toEqual(['ada', 'juniper']);
    const dir = mkdtempSync(join(tmpdir(), 'carrier-characters-'));
    for (const name of ['ada.json', 'orbit.json', 'notes.txt']) writeFileSync(join(dir, name), '{}');
    expect(servedCharacters({}, dir).sort()).toEqual(['ada', 'orbit']);
    expect(servedCharacters({}, 'no/such/dir')).toEqual([]);
  });
});
