import { chmod, rm } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { TURN_LIMITS } from '../ports/turn-limits.ts';
import { CarrierError } from '../errors.ts';

/** One `carrier chat` message, answered by the local stack that holds the embedded store. */
export interface ChatMessage {
  character: string;
  conversation: string;
  user: string;
  text: string;
}

const MAX_LINE = 64 * 1024;

/**
 * Serves `carrier chat` on a Unix socket only this user can open (0600): one JSON line in,
 * one JSON line out (`{"reply"}` or `{"error"}`), per connection. The stack holding PGlite
 * answers, so the CLI neither opens a second PGlite on the same folder (which loses writes)
 * nor pays its start-up. A socket left by a crashed stack is replaced: the caller holds the
 * data folder's lock, so no live stack can own it.
 */
export async function serveChat(
  path: string,
  reply: (message: ChatMessage) => Promise<string>,
): Promise<{ close(): Promise<void> }> {
  const server = createServer((socket) => void answer(socket, reply));
  await rm(path, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, resolve);
  });
  await chmod(path, 0o600);
  return {
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(path, { force: true });
    },
  };
}

async function answer(socket: Socket, reply: (message: ChatMessage) => Promise<string>): Promise<void> {
  socket.on('error', () => undefined);
  try {
    const message = parseMessage(await readLine(socket));
    socket.end(`${JSON.stringify({ reply: await reply(message) })}\n`);
  } catch (error) {
    const message =
      error instanceof CarrierError ? error.message : `the local stack failed: ${String(error)}`;
    socket.end(`${JSON.stringify({ error: message })}\n`);
  }
}

/** Sends one message to the stack at `path` and returns its reply; the stack's error as a CarrierError. */
export async function askStack(path: string, message: ChatMessage): Promise<string> {
  const socket = createConnection(path);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    // The holder is alive but its socket is gone or closed: the stack is starting or stopping.
    socket.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new CarrierError(
          `the local stack holds the store but does not answer on ${path} (${error.code ?? error.message}): it is starting or stopping; try again in a moment`,
          'stack_chat',
        ),
      ),
    );
  });
  socket.write(`${JSON.stringify(message)}\n`);
  const answer = JSON.parse(await readLine(socket)) as { reply?: string; error?: string };
  socket.destroy();
  if (answer.error !== undefined) throw new CarrierError(answer.error, 'stack_chat');
  return String(answer.reply);
}

function readLine(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end >= 0) resolve(buffered.slice(0, end));
      else if (buffered.length > MAX_LINE) reject(new CarrierError('message longer than 64 KB', 'too_large'));
    });
    socket.once('end', () => reject(new CarrierError('the local stack closed the connection', 'stack_chat')));
    socket.once('error', reject);
  });
}

function parseMessage(line: string): ChatMessage {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new CarrierError('not a JSON chat message', 'bad_message');
  }
  const out: Record<string, string> = {};
  for (const key of ['character', 'conversation', 'user', 'text'] as const) {
    const field = value?.[key];
    const most = key === 'text' ? TURN_LIMITS.textLength : TURN_LIMITS.conversationLength;
    if (typeof field !== 'string' || !field.trim() || field.length > most)
      throw new CarrierError(`${key}: expected 1 to ${most} characters`, 'bad_message');
    out[key] = field;
  }
  return out as unknown as ChatMessage;
}
