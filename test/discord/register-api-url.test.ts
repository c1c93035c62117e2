import { describe, expect, it } from 'vitest';
import { discordApiUrl } from '#core/adapters/discord-rest/register.ts';

// The command's refusal of DISCORD_API_URL=notaurl is in register-cli.test.ts.
describe('the Discord API URL carrier discord register uses', () => {
  it('is Discord itself when DISCORD_API_URL is unset or blank, and any http(s) URL it gives', () => {
    expect(discordApiUrl(undefined)).toBe('https://discord.com/api');
    expect(discordApiUrl('  ')).toBe('https://discord.com/api');
    expect(discordApiUrl('http://127.0.0.1:8080/api')).toBe('http://127.0.0.1:8080/api');
  });

  it('refuses a value that is not an http(s) URL, naming the default', () => {
    expect(() => discordApiUrl('notaurl')).toThrow(
      'DISCORD_API_URL=notaurl: not a URL; set it to https://discord.com/api or leave it unset',
    );
    expect(() => discordApiUrl('ftp://discord.com/api')).toThrow(
      'DISCORD_API_URL=ftp://discord.com/api: not an http(s) URL; set it to https://discord.com/api or leave it unset',
    );
  });
});
