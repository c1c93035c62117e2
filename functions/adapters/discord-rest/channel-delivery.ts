import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { createHash } from 'node:crypto';
import type { DeliverOptions, Delivery, DeliveryResult, Outcome } from '../../ports/delivery.ts';
import type { TurnRequest } from '../../ports/turn-request.ts';
import { splitMessage } from '../../discord/split-message.ts';
import { finalReason, NO_MENTIONS } from './delivery.ts';
import { discordRest } from './rest.ts';

export interface ChannelDeliveryOptions {
  /** The character's bot token (DISCORD_<ID>_BOT_TOKEN, else DISCORD_API_TOKEN), or undefined. */
  botToken(character: string): string | undefined;
  apiUrl?: string | undefined;
  /** Injected client per token (tests); by default one @discordjs/rest client per token. */
  rest?: (token: string) => REST;
}

/**
 * Delivers a scheduled turn's reply as a message in a Discord channel with the character's bot
 * token: `POST /channels/{id}/messages`, mentions disabled, past 2,000 characters split in
 * order. Each message carries a nonce made of the turn, the outcome and its index, with
 * `enforce_nonce`, so a resend after a crash returns Discord's first message instead of posting
 * a second; progress is reported like the interaction delivery's, so a rerun skips what is out.
 *
 * @example
 * new DiscordChannelDelivery({ botToken: (c) => discordSettings(c, env).botToken });
 */
export class DiscordChannelDelivery implements Delivery {
  private readonly clients = new Map<string, REST>();

  constructor(private readonly options: ChannelDeliveryOptions) {}

  async deliver(
    request: TurnRequest,
    outcome: Outcome,
    options: DeliverOptions = {},
  ): Promise<DeliveryResult> {
    const reply = request.reply;
    if (reply.kind !== 'discord-channel') return { status: 'skipped' };
    const token = this.options.botToken(request.character);
    if (!token) {
      return {
        status: 'undeliverable',
        reason: `no Discord bot token for character "${request.character}"; set its DISCORD_<ID>_BOT_TOKEN or DISCORD_API_TOKEN`,
      };
    }
    const rest = this.client(token);
    const chunks = splitMessage(outcome.text.trim() || '…');
    try {
      for (const [i, content] of chunks.entries()) {
        if (i < (options.resumeFrom?.sent ?? 0)) continue;
        await rest.post(Routes.channelMessages(reply.channelId), {
          body: {
            content,
            allowed_mentions: NO_MENTIONS,
            nonce: nonce(request, outcome, i),
            enforce_nonce: true,
          },
        });
        await options.onProgress?.({ sent: i + 1 });
      }
    } catch (error) {
      const reason = finalReason(error);
      if (reason) return { status: 'undeliverable', reason };
      throw error;
    }
    return { status: 'delivered', messages: chunks.length };
  }

  private client(token: string): REST {
    let client = this.clients.get(token);
    if (!client) {
      client = this.options.rest?.(token) ?? discordRest({ apiUrl: this.options.apiUrl, token });
      this.clients.set(token, client);
    }
    return client;
  }
}

/** Discord nonces are at most 25 characters. */
function nonce(request: TurnRequest, outcome: Outcome, index: number): string {
  return createHash('sha256')
    .update(`${request.id}\n${outcome.kind}\n${index}`)
    .digest('base64url')
    .slice(0, 25);
}
