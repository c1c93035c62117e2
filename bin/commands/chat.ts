import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { loadCharacter } from '#core/characters/load.ts';
import { loadSettings } from '#core/wiring/settings.ts';
import type { Settings } from '#core/config/settings.ts';
import { openStore } from '#core/adapters/store/open.ts';
import { runningStack } from '#core/local/running-stack.ts';
import { askStack, type ChatMessage } from '#core/local/chat-socket.ts';
import { CarrierError } from '#core/errors.ts';
import { TURN_LIMITS } from '#core/ports/turn-limits.ts';
import { action } from '../cli-errors.ts';
// Types only: the module itself loads only when the chat opens the store itself.
import type { Chat, ChatOptions } from './chat-local.ts';

/** `carrier chat`: its arguments, options and action. */
export function register(command: Command): void {
  command
    .argument('<character>', 'character id (a file name in characters/)')
    .option('-m, --message <text>', 'send one message, print the reply on stdout and exit')
    .option('-c, --conversation <id>', 'conversation id: memory is kept per conversation', 'cli')
    .option('-u, --user <id>', 'who is talking', process.env.USER ?? 'local-user')
    .action(
      action(async (id: string, options: ChatOptions) => {
        // Checked first, the same with or without a running stack, before anything starts.
        checkIds(options);
        if (options.message !== undefined) checkText(options.message, '--message');
        const settings = await loadSettings();
        const chat =
          (await throughStack(id, options, settings.env)) ?? (await ownChat(id, options, settings));
        try {
          if (options.message !== undefined) process.stdout.write(`${await chat.say(options.message)}\n`);
          else await repl(id, chat);
        } finally {
          await chat.close();
        }
      }),
    );
}

/**
 * While `npm start` holds the embedded store, the chat goes through it (a second PGlite on the
 * same folder would lose writes), with the same ids: what is said is remembered either way.
 */
async function throughStack(
  id: string,
  options: ChatOptions,
  env: Record<string, string | undefined>,
): Promise<Chat | undefined> {
  const holder = await runningStack(env);
  if (!holder?.socket) return undefined;
  const socket = holder.socket;
  const character = await loadCharacter(id);
  process.stderr.write(`carrier: talking through the local stack at ${holder.url}\n`);
  const message = (text: string): ChatMessage => ({
    character: character.id,
    conversation: options.conversation,
    user: options.user,
    text,
  });
  return { name: character.name, say: (text) => askStack(socket, message(text)), close: async () => {} };
}

/**
 * A chat that opens the store itself. The store starts opening first: PGlite compiles its
 * WebAssembly off the main thread while the agents SDK and the rest of the chat load.
 */
async function ownChat(id: string, options: ChatOptions, settings: Settings): Promise<Chat> {
  const store = openStore(settings.env, { migrate: true });
  store.catch(() => undefined); // awaited below; until then a failure is not unhandled
  try {
    return await (await import('./chat-local.ts')).openChat(id, options, settings, store);
  } catch (error) {
    await store.then((opened) => opened.close()).catch(() => undefined);
    throw error;
  }
}

async function repl(id: string, chat: Chat): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ' });
  process.stdout.write(`Talking to ${chat.name} (${id}). Ctrl-D to leave.\n`);
  rl.prompt();
  // Reading lines as a stream (not rl.question) ends cleanly when stdin closes.
  for await (const line of rl) {
    const text = line.trim();
    if (text.length > TURN_LIMITS.textLength)
      process.stderr.write(`carrier: ${textTooLong(text, 'that line')}\n`);
    else if (text) process.stdout.write(`${id}> ${await chat.say(text)}\n`);
    rl.prompt();
  }
  process.stdout.write('\n');
}

/** A message a turn can carry: as the API and Discord bound it (TURN_LIMITS). */
function checkText(text: string, flag: string): void {
  if (!text.trim())
    throw new CarrierError(`${flag}: empty; write a message, e.g. ${flag} "hello"`, 'bad_message');
  if (text.length > TURN_LIMITS.textLength) throw new CarrierError(textTooLong(text, flag), 'bad_message');
}

function textTooLong(text: string, what: string): string {
  return `${what}: ${text.length} characters, at most ${TURN_LIMITS.textLength}; send it in parts`;
}

/** --user and --conversation: what a stored id holds (TURN_LIMITS.conversationLength). */
function checkIds(options: ChatOptions): void {
  for (const [flag, value] of [
    ['--user', options.user],
    ['--conversation', options.conversation],
  ] as const) {
    if (!value.trim() || value.length > TURN_LIMITS.conversationLength) {
      throw new CarrierError(
        `${flag}: expected 1 to ${TURN_LIMITS.conversationLength} characters, got ${value.length}`,
        'bad_option',
      );
    }
  }
}
