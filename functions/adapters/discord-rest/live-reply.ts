import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { EPHEMERAL } from '../../discord/interaction.ts';
import { splitMessage } from '../../discord/split-message.ts';
import type { DeliverOptions, Delivery, DeliveryResult, Outcome } from '../../ports/delivery.ts';
import type { LiveReplyRepository } from '../../ports/live-replies.ts';
import type { TurnRequest } from '../../ports/turn-request.ts';
import type { LiveSink } from '../../turns/live-turn.ts';
import { discordTarget, expiredReason, finalReason, NO_MENTIONS } from './delivery.ts';
import { LiveEditor, systemClock, type Clock } from './live-editor.ts';
import { discordRest } from './rest.ts';

type DiscordReply = Extract<TurnRequest['reply'], { kind: 'discord' }>;

export interface DiscordLiveRepliesOptions {
  replies: LiveReplyRepository;
  rest?: REST;
  apiUrl?: string;
  clock?: Clock;
}

/**
 * Discord replies that grow as the turn is written: `sink(request)` edits the deferred
 * "thinking…" message as text arrives (paced by the edit route's rate-limit headers, cut at
 * sentence or line ends, never inside a code block, follow-ups past 2,000 characters, a status
 * line while a tool runs), and `deliver` makes the last edit: exactly the whole reply, split as
 * splitMessage splits it. Follow-up ids are stored (LiveReplyRepository), so a redelivered or
 * retried turn edits the follow-ups already posted instead of posting them again, and removes
 * any the new reply no longer needs.
 *
 * @example
 * const discord = new DiscordLiveReplies({ replies: new SqlLiveReplyRepository(store) });
 * runnerDeps({ ..., discord, liveSinks: (request) => discord.sinks(request) });
 */
export class DiscordLiveReplies implements Delivery {
  private readonly rest: REST;
  private readonly clock: Clock;
  /** What each live reply in this process last wrote, so the last edit skips what is already there. */
  private readonly shown = new Map<string, string[]>();
  private readonly editors = new Map<string, LiveEditor>();

  constructor(private readonly options: DiscordLiveRepliesOptions) {
    this.rest = options.rest ?? discordRest({ apiUrl: options.apiUrl });
    this.clock = options.clock ?? systemClock;
  }

  /** The live editor for a Discord request (none for other kinds or a dead token). */
  sinks(request: TurnRequest): LiveSink[] {
    const reply = request.reply;
    if (reply.kind !== 'discord' || expiredReason(request, this.clock.now())) return [];
    const shown: string[] = [];
    this.shown.set(request.id, shown);
    const editor = new LiveEditor({
      rest: this.rest,
      clock: this.clock,
      token: reply.token,
      write: (messages) => this.write(request.id, reply, messages, shown),
    });
    this.editors.set(request.id, editor);
    // A turn that never reaches delivery (its attempt died) must not pin its editor forever.
    for (const map of [this.shown, this.editors] as Map<string, unknown>[]) {
      if (map.size > 1000) map.delete(map.keys().next().value!);
    }
    return [editor];
  }

  async deliver(
    request: TurnRequest,
    outcome: Outcome,
    options: DeliverOptions = {},
  ): Promise<DeliveryResult> {
    const reply = discordTarget(request, this.clock.now());
    if ('status' in reply) return reply;
    const chunks = splitMessage(outcome.text.trim() || '…');
    const shown = this.shown.get(request.id) ?? [];
    this.shown.delete(request.id);
    // The last edit keeps the live edits' pace: it never spends the bucket's last request early.
    const editor = this.editors.get(request.id);
    this.editors.delete(request.id);
    await editor?.ready();
    try {
      await this.write(request.id, reply, chunks, shown, { removeExtra: true });
    } catch (error) {
      const reason = finalReason(error);
      if (reason) return { status: 'undeliverable', reason };
      throw error;
    }
    await options.onProgress?.({ sent: chunks.length });
    return { status: 'delivered', messages: chunks.length };
  }

  /**
   * Makes the reply's messages read `messages`: @original edited, follow-ups edited by their
   * stored id or posted (and their id stored at once), only where the text changed; with
   * `removeExtra`, follow-ups past the end are deleted.
   */
  private async write(
    turnId: string,
    reply: DiscordReply,
    messages: string[],
    shown: string[],
    options: { removeExtra?: boolean } = {},
  ): Promise<void> {
    let ids = await this.options.replies.followups(turnId);
    for (const [i, content] of messages.entries()) {
      if (shown[i] === content) continue;
      const body = { content, allowed_mentions: NO_MENTIONS };
      if (i === 0) {
        await this.rest.patch(Routes.webhookMessage(reply.applicationId, reply.token, '@original'), {
          auth: false,
          body,
        });
      } else if (ids[i - 1]) {
        await this.rest.patch(Routes.webhookMessage(reply.applicationId, reply.token, ids[i - 1]), {
          auth: false,
          body,
        });
      } else {
        const posted = (await this.rest.post(Routes.webhook(reply.applicationId, reply.token), {
          auth: false,
          body: { ...body, ...(reply.ephemeral ? { flags: EPHEMERAL } : {}) },
        })) as { id: string };
        ids = await this.options.replies.addFollowup(turnId, i - 1, posted.id);
      }
      shown[i] = content;
    }
    if (!options.removeExtra) return;
    for (const id of ids.slice(Math.max(0, messages.length - 1))) {
      await this.rest.delete(Routes.webhookMessage(reply.applicationId, reply.token, id), { auth: false });
    }
  }
}
