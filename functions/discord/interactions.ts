import { errorBody } from '../http/error-body.ts';
import type { Log } from '../ports/log.ts';
import type { TurnQueue } from '../ports/queue.ts';
import type { TurnRequest } from '../ports/turn-request.ts';
import { ASK_OPTION, COMMAND } from './commands.ts';
import {
  askText,
  EPHEMERAL,
  INTERACTION,
  optionValue,
  requestProblem,
  RESPONSE,
  turnRequestFor,
  type InteractionPayload,
} from './interaction.ts';
import { discordSettings, discordVariables } from './settings.ts';
import { isPublicKey, verifyInteraction, type SignedRequest } from './verify.ts';

export interface InteractionsDeps {
  queue: TurnQueue;
  /** The character ids this deployment serves; any other id in the path is a 404. */
  characters: readonly string[];
  /** Where the DISCORD_* settings are read: process.env in Lambda and locally. */
  env: Record<string, string | undefined>;
  log?: Log;
  /** Milliseconds since the epoch; injected by tests. */
  now?: () => number;
  /** Signed timestamps further than this from our clock are refused (default 300 s). */
  maxAgeSeconds?: number;
  /**
   * How long the queue may take before the user is told to try again. Discord allows 3 s for
   * the whole answer, cold start included, so this stays well below it.
   */
  enqueueTimeoutMs?: number;
}

/** The HTTP request, already out of its Lambda or local-server envelope. */
export interface InteractionHttpRequest extends SignedRequest {
  /** The `{character}` path segment. */
  character: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const MESSAGES = {
  busy: "I couldn't take that just now. Please try again in a moment.",
  emptyAsk: 'Tell me what to answer: `/ask text:<your message>`.',
  tooLong: 'That message is too long for me; send at most 16,000 characters.',
  forgetting: "Okay, I'm forgetting what you told me. This message will say when it's done.",
  unsupported: "I can't handle that kind of interaction. Try `/ask` or `/forget`.",
} as const;

const DEFAULT_ENQUEUE_TIMEOUT_MS = 2000;

/** A command whose request the runner would refuse: answered 400, never queued. */
const MALFORMED = Symbol('malformed interaction');

/**
 * The Discord interactions endpoint, `POST /discord/{character}/interactions`: verifies the
 * Ed25519 signature on the raw body, answers PING with PONG, turns `/ask` into a queued turn
 * answered later by the runner (deferred response, type 5) and `/forget` into a queued forget
 * with an ephemeral confirmation. It never runs a model: Discord allows 3 seconds.
 *
 * @example
 * const handle = createInteractionsHandler({ queue, characters: ['ada'], env: process.env });
 * const response = await handle({ character: 'ada', headers, body: rawBytes });
 */
export function createInteractionsHandler(
  deps: InteractionsDeps,
): (request: InteractionHttpRequest) => Promise<HttpResponse> {
  const known = new Set(deps.characters);
  const now = deps.now ?? Date.now;

  return async (request) => {
    const { character } = request;
    if (!known.has(character)) {
      return failure(404, 'character_unknown', `no character "${character}" is served here`);
    }
    const publicKey = discordSettings(character, deps.env).publicKey;
    if (!publicKey || !isPublicKey(publicKey)) {
      const [specific, fallback] = discordVariables(character, 'publicKey');
      const problem = publicKey ? 'not 64 hex digits' : 'not set';
      deps.log?.error(`Discord public key for ${character} is ${problem}; set ${specific} or ${fallback}`, {
        character,
      });
      // 503, not 404: the character is served (a 404 says it is not) and the endpoint works once
      // its operator sets the key; not 500, which says the code failed. Names the variable, never
      // its value: a public key is not a secret, but the message has no need of it.
      const variable = publicKey && !deps.env[specific]?.trim() ? fallback : specific;
      return failure(
        503,
        'discord_not_configured',
        `${variable} is ${problem}: this character is not on Discord here`,
      );
    }
    const verified = await verifyInteraction(request, publicKey, {
      now: now(),
      maxAgeSeconds: deps.maxAgeSeconds,
    });
    if (!verified.ok) {
      deps.log?.info('interaction refused', { character, reason: verified.reason });
      return failure(401, 'signature_invalid', 'invalid request signature');
    }
    const interaction = parse(request.body);
    if (!interaction) return failure(400, 'body_invalid', 'body must be a Discord interaction (JSON)');
    const answer = await respond(interaction, character, deps, now);
    if (answer === MALFORMED)
      return failure(400, 'body_invalid', 'the interaction is outside what Discord sends');
    return json(200, answer);
  };
}

async function respond(
  interaction: InteractionPayload,
  character: string,
  deps: InteractionsDeps,
  now: () => number,
): Promise<unknown> {
  switch (interaction.type) {
    case INTERACTION.ping:
      return { type: RESPONSE.pong };
    case INTERACTION.autocomplete:
      // No option autocompletes today; an empty list is better than a failed interaction.
      return { type: RESPONSE.autocomplete, data: { choices: [] } };
    case INTERACTION.command:
      return command(interaction, character, deps, now);
    default:
      return ephemeral(MESSAGES.unsupported);
  }
}

async function command(
  interaction: InteractionPayload,
  character: string,
  deps: InteractionsDeps,
  now: () => number,
): Promise<unknown> {
  const name = interaction.data?.name ?? '';
  const fields = { interactionId: interaction.id, character, command: name };
  if (name === COMMAND.ask) {
    const text = askText(interaction);
    if (!text) return ephemeral(MESSAGES.emptyAsk);
    const ephemeralReply = optionValue(interaction, ASK_OPTION.private, 'boolean') ?? false;
    const request = turnRequestFor(
      interaction,
      character,
      { action: 'turn', text, ephemeral: ephemeralReply },
      new Date(now()),
    );
    const problem = requestProblem(request);
    if (problem) return problem === 'too_long' ? ephemeral(MESSAGES.tooLong) : MALFORMED;
    if (!(await enqueue(request, deps, fields))) return ephemeral(MESSAGES.busy);
    return ephemeralReply
      ? { type: RESPONSE.deferred, data: { flags: EPHEMERAL } }
      : { type: RESPONSE.deferred };
  }
  if (name === COMMAND.forget) {
    // Ephemeral, so the runner's "Done: I forgot …" edit of this message stays private too.
    const request = turnRequestFor(
      interaction,
      character,
      { action: 'forget', text: '', ephemeral: true },
      new Date(now()),
    );
    if (requestProblem(request)) return MALFORMED;
    if (!(await enqueue(request, deps, fields))) return ephemeral(MESSAGES.busy);
    return ephemeral(MESSAGES.forgetting);
  }
  deps.log?.warn('unknown command', fields);
  return ephemeral(`I don't know the command /${name.slice(0, 32)}. Try \`/ask\` or \`/forget\`.`);
}

/** Enqueues within the deadline; false when the queue failed or was too slow (the user is told to retry). */
async function enqueue(
  request: TurnRequest,
  deps: InteractionsDeps,
  fields: Record<string, unknown>,
): Promise<boolean> {
  const ms = deps.enqueueTimeoutMs ?? DEFAULT_ENQUEUE_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  // Past the deadline the user is told to try again, so the send is aborted too: a message that
  // landed anyway would answer a request the user was told had failed.
  const abort = new AbortController();
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error(`enqueue took longer than ${ms} ms`));
    }, ms);
  });
  const sending = deps.queue.enqueue(request, { signal: abort.signal });
  // A late failure after the deadline has already been answered; keep it from going unhandled.
  sending.catch(() => {});
  try {
    await Promise.race([sending, deadline]);
    deps.log?.info('interaction queued', { ...fields, conversation: request.conversation });
    return true;
  } catch (error) {
    deps.log?.error('enqueue failed; user asked to retry', {
      ...fields,
      reason: error instanceof Error ? error.message : String(error),
    });
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function parse(body: Uint8Array | string): InteractionPayload | undefined {
  try {
    const value: unknown = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const i = value as Partial<InteractionPayload>;
    const valid =
      typeof i.id === 'string' &&
      typeof i.type === 'number' &&
      typeof i.application_id === 'string' &&
      typeof i.token === 'string';
    // Commands are answered for someone; one without a user cannot be queued.
    const hasUser = i.type !== INTERACTION.command || Boolean(i.member?.user?.id ?? i.user?.id);
    return valid && hasUser ? (value as InteractionPayload) : undefined;
  } catch {
    return undefined;
  }
}

function ephemeral(content: string): unknown {
  return { type: RESPONSE.message, data: { content, flags: EPHEMERAL, allowed_mentions: { parse: [] } } };
}

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function failure(status: number, code: string, message: string): HttpResponse {
  return json(status, errorBody(code, message));
}
