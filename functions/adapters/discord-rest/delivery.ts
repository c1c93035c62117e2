import { DiscordAPIError, type REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { createHash } from 'node:crypto';
import type { DeliverOptions, Delivery, DeliveryResult, Outcome } from '../../ports/delivery.ts';
import type { TurnRequest } from '../../ports/turn-request.ts';
import { EPHEMERAL } from '../../discord/interaction.ts';
import { discordRest } from './rest.ts';
import { splitMessage } from '../../discord/split-message.ts';

/** Interaction tokens work for 15 minutes after the command. */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60 * 1000;

/**
 * Errors that no retry fixes: Unknown Webhook (10015), Invalid Webhook Token (50027), Unknown
 * Interaction (10062), and the message or channel gone (10008, 10003: the user dismissed the
 * reply or the channel was deleted).
 */
const FINAL_CODES = new Set([10015, 50027, 10062, 10008, 10003]);

/** Every message goes out with mentions disabled: a reply must never ping @everyone or a role. */
export const NO_MENTIONS = { parse: [] };

export interface DiscordDeliveryOptions {
  /** Injected client; by default one for `apiUrl` (else DISCORD_API_URL, else Discord). */
  rest?: REST;
  apiUrl?: string;
  /** Milliseconds since the epoch; injected by tests. */
  now?: () => number;
  /** How many deliveries' progress to remember in-process (oldest forgotten first). */
  remember?: number;
}

/**
 * Delivers a turn's outcome to the Discord interaction it answers: edits `@original` (the
 * deferred "thinking…" message) with the first 2,000 characters and posts the rest as follow-ups,
 * mentions disabled on every message. A rerun edits @original again (idempotent) and skips the
 * follow-ups already posted: progress is remembered in-process and reported through
 * `options.onProgress` for the caller to keep. Once the 15-minute token is dead, or Discord
 * says the webhook, token or interaction is gone, the result is `undeliverable` (final).
 * Rate limits are waited out by @discordjs/rest; other failures throw so the queue retries.
 *
 * @example
 * const delivery = new DiscordDelivery({ apiUrl: settings.env.DISCORD_API_URL });
 * await delivery.deliver(request, { kind: 'reply', text: reply });
 */
export class DiscordDelivery implements Delivery {
  private readonly rest: REST;
  private readonly now: () => number;
  private readonly remember: number;
  /** Messages sent per request and outcome, so a retry in this process never posts twice. */
  private readonly sentSoFar = new Map<string, number>();

  constructor(options: DiscordDeliveryOptions = {}) {
    this.rest = options.rest ?? discordRest({ apiUrl: options.apiUrl });
    this.now = options.now ?? Date.now;
    this.remember = options.remember ?? 1000;
  }

  async deliver(
    request: TurnRequest,
    outcome: Outcome,
    options: DeliverOptions = {},
  ): Promise<DeliveryResult> {
    const reply = discordTarget(request, this.now());
    if ('status' in reply) return reply;
    const chunks = splitMessage(outcome.text.trim() || '…');
    const key = progressKey(request, outcome);
    let sent = Math.max(options.resumeFrom?.sent ?? 0, this.sentSoFar.get(key) ?? 0);
    const advance = async (to: number) => {
      sent = to;
      this.keep(key, sent);
      await options.onProgress?.({ sent });
    };
    const ephemeral = reply.ephemeral || (outcome.kind === 'reply' && outcome.ephemeral === true);
    try {
      if (outcome.kind === 'reply' && outcome.ephemeral && !reply.ephemeral) {
        // The deferred "thinking…" is public and cannot become ephemeral: it goes, and every
        // message of the outcome is an ephemeral follow-up only the asker sees.
        if (sent < 1) await this.deleteOriginal(reply.applicationId, reply.token);
      } else {
        await this.rest.patch(Routes.webhookMessage(reply.applicationId, reply.token, '@original'), {
          auth: false,
          body: { content: chunks[0], allowed_mentions: NO_MENTIONS },
        });
        if (sent < 1) await advance(1);
      }
      for (const [i, content] of chunks.entries()) {
        if (i < sent) continue;
        await this.rest.post(Routes.webhook(reply.applicationId, reply.token), {
          auth: false,
          body: { content, allowed_mentions: NO_MENTIONS, ...(ephemeral ? { flags: EPHEMERAL } : {}) },
        });
        await advance(i + 1);
      }
    } catch (error) {
      const reason = finalReason(error);
      if (reason) return { status: 'undeliverable', reason };
      throw error;
    }
    return { status: 'delivered', messages: chunks.length };
  }

  /** Deleting twice is harmless: Unknown Message (10008) means it is gone already. */
  private async deleteOriginal(applicationId: string, token: string): Promise<void> {
    try {
      await this.rest.delete(Routes.webhookMessage(applicationId, token, '@original'), { auth: false });
    } catch (error) {
      if (!(error instanceof DiscordAPIError && error.code === 10008)) throw error;
    }
  }

  private keep(key: string, sent: number): void {
    this.sentSoFar.delete(key);
    this.sentSoFar.set(key, sent);
    if (this.sentSoFar.size > this.remember) {
      const oldest = this.sentSoFar.keys().next().value;
      if (oldest !== undefined) this.sentSoFar.delete(oldest);
    }
  }
}

/**
 * The request's Discord reply, or the result to give at once: skipped for another kind,
 * undeliverable once the interaction token is dead.
 */
export function discordTarget(
  request: TurnRequest,
  now: number,
): Extract<TurnRequest['reply'], { kind: 'discord' }> | DeliveryResult {
  const reply = request.reply;
  if (reply.kind !== 'discord') return { status: 'skipped' };
  const expired = expiredReason(request, now);
  return expired ? { status: 'undeliverable', reason: expired } : reply;
}

/** Why the request's interaction token can no longer be used, or undefined while it can. */
export function expiredReason(request: TurnRequest, now: number): string | undefined {
  const age = now - Date.parse(request.receivedAt);
  return age >= INTERACTION_TOKEN_LIFETIME_MS
    ? `interaction token expired: ${Math.floor(age / 60_000)} minutes after the command (Discord allows 15)`
    : undefined;
}

/** Progress belongs to one request and one outcome text: an apology after a reply starts afresh. */
function progressKey(request: TurnRequest, outcome: Outcome): string {
  return `${request.id}:${outcome.kind}:${createHash('sha256').update(outcome.text).digest('base64url')}`;
}

/**
 * Why Discord will never take this message, or undefined when a retry may work. Rate limits
 * never get here (the client waits them out); 5xx, 408 and network errors are worth a retry; any
 * other 4xx means the target or the payload is wrong, and resending changes neither.
 */
export function finalReason(error: unknown): string | undefined {
  if (!(error instanceof DiscordAPIError)) return undefined;
  const code = typeof error.code === 'number' ? error.code : undefined;
  if (
    (code !== undefined && FINAL_CODES.has(code)) ||
    (error.status >= 400 && error.status < 500 && error.status !== 408)
  ) {
    return `Discord ${error.status}${code !== undefined ? ` (code ${code})` : ''}: ${error.message}`;
  }
  return undefined;
}
