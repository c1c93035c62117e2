import { describe, expect, it } from 'vitest';
import type { Log } from '#core/ports/log.ts';
import { createInteractions } from '#core/wiring/interactions.ts';
import { pingInteraction, signedInteractionEvent, testDiscordApp } from '#test/factories/discord.ts';

const app = testDiscordApp();
const quiet: Log = { info: () => {}, warn: () => {}, error: () => {} };

/** The deployed interactions function's answer to a signed PING, with `env` as its environment. */
async function deployedAnswer(env: Record<string, string>, character = 'ada') {
  const handle = createInteractions(
    {
      TURN_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/turns.fifo',
      AWS_REGION: 'us-east-1',
      CARRIER_CHARACTERS: 'ada,night-owl',
      ...env,
    },
    quiet,
  );
  const result = await handle(signedInteractionEvent(app, pingInteraction(), { character }));
  return { status: result.statusCode, body: JSON.parse(result.body ?? 'null') as unknown };
}

describe('the deployed interactions function for a character without a public key', () => {
  it('answers 503 naming the variable to set', async () => {
    expect(await deployedAnswer({})).toEqual({
      status: 503,
      body: {
        error: {
          code: 'discord_not_configured',
          message: 'DISCORD_ADA_PUBLIC_KEY is not set: this character is not on Discord here',
        },
      },
    });
  });

  it('names the variable that holds a malformed key, never its value', async () => {
    const shared = await deployedAnswer({ DISCORD_PUBLIC_KEY: 'abc123' }, 'night-owl');
    expect(shared.status).toBe(503);
    expect(shared.body).toMatchObject({
      error: { message: 'DISCORD_PUBLIC_KEY is not 64 hex digits: this character is not on Discord here' },
    });
    const own = await deployedAnswer({ DISCORD_NIGHT_OWL_PUBLIC_KEY: 'abc123' }, 'night-owl');
    expect(JSON.stringify(own.body)).toBe(
      '{"error":{"code":"discord_not_configured","message":"DISCORD_NIGHT_OWL_PUBLIC_KEY is not 64 hex digits: this character is not on Discord here"}}',
    );
  });

  it('still answers 404 for a character it does not serve', async () => {
    expect((await deployedAnswer({ DISCORD_PUBLIC_KEY: app.publicKey }, 'nobody')).status).toBe(404);
  });
});
