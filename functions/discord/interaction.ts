import { cleanDisplayName } from '../agents/untrusted-text.ts';
import { TURN_LIMITS } from '../ports/turn-limits.ts';
import type { TurnRequest } from '../ports/turn-request.ts';
import { ASK_OPTION } from './commands.ts';

/** Discord interaction types and response types we use (the API's numbers). */
export const INTERACTION = { ping: 1, command: 2, component: 3, autocomplete: 4, modal: 5 } as const;
export const RESPONSE = { pong: 1, message: 4, deferred: 5, autocomplete: 8 } as const;
/** Message flag: only the invoking user sees it. */
export const EPHEMERAL = 64;
/** Channel type of a DM between the user and the bot. */
const DM_CHANNEL = 1;

interface DiscordUser {
  id: string;
  username?: string;
  global_name?: string | null;
}

interface CommandOption {
  name: string;
  type: number;
  value?: unknown;
}

/**
 * The part of an interaction payload this function reads. The body is signed by Discord, so it
 * is trusted to be well formed; fields are still read defensively (see `userOf`).
 */
export interface InteractionPayload {
  id: string;
  type: number;
  application_id: string;
  token: string;
  guild_id?: string;
  channel_id?: string;
  channel?: { id: string; type: number };
  member?: { nick?: string | null; user?: DiscordUser };
  user?: DiscordUser;
  data?: { name?: string; options?: CommandOption[] };
}

/**
 * A TurnRequest for a slash command: the interaction id is the idempotency key (Discord never
 * reuses it, and a retried enqueue is dropped by FIFO deduplication), the channel is the FIFO
 * group so replies in one channel stay in order, and DMs are keyed by the user.
 *
 * @example
 * const request = turnRequestFor(interaction, 'ada', { action: 'turn', text: 'hi', ephemeral: false }, new Date());
 */
export function turnRequestFor(
  interaction: InteractionPayload,
  character: string,
  what: { action: TurnRequest['action']; text: string; ephemeral: boolean },
  receivedAt: Date,
): TurnRequest {
  const user = userOf(interaction);
  return {
    id: interaction.id,
    action: what.action,
    character,
    conversation: conversationOf(interaction, user.id),
    user,
    text: what.text,
    source: 'discord',
    reply: {
      kind: 'discord',
      applicationId: interaction.application_id,
      token: interaction.token,
      ephemeral: what.ephemeral,
    },
    receivedAt: receivedAt.toISOString(),
  };
}

/**
 * Guild commands carry `member.user`, DMs carry `user`; the display name prefers the server
 * nickname, cleaned before it can reach a prompt (untrusted-text.ts).
 */
export function userOf(interaction: InteractionPayload): { id: string; name?: string } {
  const user = interaction.member?.user ?? interaction.user;
  if (!user?.id) throw new Error(`interaction ${interaction.id} has no user`);
  const name = cleanDisplayName(interaction.member?.nick ?? user.global_name ?? user.username);
  return name ? { id: user.id, name } : { id: user.id };
}

function conversationOf(interaction: InteractionPayload, userId: string): string {
  const channel = interaction.channel_id ?? interaction.channel?.id;
  const isDm = !interaction.guild_id && (interaction.channel?.type === DM_CHANNEL || !channel);
  return isDm || !channel ? `dm:${userId}` : channel;
}

/** A command option's value when it has the expected JS type. */
export function optionValue<T extends 'string' | 'boolean'>(
  interaction: InteractionPayload,
  name: string,
  type: T,
): (T extends 'string' ? string : boolean) | undefined {
  const value = interaction.data?.options?.find((o) => o.name === name)?.value;
  return typeof value === type ? (value as T extends 'string' ? string : boolean) : undefined;
}

/** `/ask`'s text, trimmed; undefined when missing or blank. */
export function askText(interaction: InteractionPayload): string | undefined {
  const text = optionValue(interaction, ASK_OPTION.text, 'string')?.trim();
  return text ? text : undefined;
}

/**
 * What about a request built from an interaction the runner would refuse (turn-limits.ts), or
 * undefined when it is fine. Discord's own limits keep real interactions well inside these; a
 * signed body outside them is answered now instead of being dropped unanswered by the runner.
 *
 * @example
 * requestProblem(turnRequestFor(interaction, 'ada', what, now)); // undefined
 */
export function requestProblem(request: TurnRequest): 'too_long' | 'malformed' | undefined {
  if (request.text.length > TURN_LIMITS.textLength) return 'too_long';
  // Postgres stores no text holding a NUL character: such a turn could never be kept.
  if (
    `${request.id}${request.text}${request.conversation}${request.user.id}${request.user.name ?? ''}`.includes(
      '\u0000',
    )
  )
    return 'malformed';
  const reply = request.reply;
  const fits =
    request.id.length > 0 &&
    request.id.length <= TURN_LIMITS.idLength &&
    request.conversation.length <= TURN_LIMITS.conversationLength &&
    request.user.id.length > 0 &&
    (reply.kind !== 'discord' || (SNOWFLAKE.test(reply.applicationId) && TOKEN.test(reply.token)));
  return fits ? undefined : 'malformed';
}

/**
 * What Discord puts in the two parts of the webhook route the runner answers on
 * (`/webhooks/{application_id}/{token}`): a snowflake and a URL-safe token. Anything else (`..`,
 * `/`) would point the runner's request at another route.
 */
const SNOWFLAKE = /^\d{1,20}$/;
const TOKEN = /^[\w.-]{1,1000}$/;
