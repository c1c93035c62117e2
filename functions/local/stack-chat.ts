import { randomUUID } from 'node:crypto';
import { runTurn } from '../agents/run-turn.ts';
import { loadCharacter } from '../characters/load.ts';
import type { Character } from '../characters/schema.ts';
import type { McpPool } from '../mcp/pool.ts';
import { EmbeddedPgliteStore } from '../adapters/store/pglite-base.ts';
import { selectModel } from '../adapters/models/select.ts';
import type { MemoryPort } from '../ports/memory.ts';
import type { ResolvedModel } from '../ports/model.ts';
import type { SqlStore } from '../ports/sql.ts';
import type { BudgetGate } from '../usage/budget-gate.ts';
import { budgetGate } from '../wiring/budget.ts';
import { serveChat, type ChatMessage } from './chat-socket.ts';

export interface StackChatParts {
  url: string;
  memory: MemoryPort;
  env: Record<string, string | undefined>;
  /** Default: the character's own model as the settings' keys allow (selectModel). */
  model?: ((character: Character) => ResolvedModel) | undefined;
  mcp?: McpPool | undefined;
  /** Default: `characters/<id>.json`, read for every message so edits show at once. */
  character?: (id: string) => Promise<Character>;
}

/**
 * When the stack holds the embedded PGlite, `carrier chat` in another terminal talks to it
 * through `<data folder>.sock` (announced in the folder's lock with the stack's URL) with the
 * same ids and memory as a chat that opens the store itself. Other stores are shared safely
 * by many processes, so there is nothing to serve.
 */
export async function serveStackChat(
  store: SqlStore,
  parts: StackChatParts,
): Promise<{ close(): Promise<void> } | undefined> {
  if (!(store instanceof EmbeddedPgliteStore) || !store.lock) return undefined;
  const socket = `${store.lock.folder}.sock`;
  const model = parts.model ?? ((c: Character) => selectModel(c, { deployed: false, env: parts.env }));
  const budget = budgetGate(store, parts.env);
  const server = await serveChat(socket, (message) => chatReply(message, { ...parts, model, budget }));
  await store.lock.announce({ url: parts.url, socket });
  return server;
}

/** What one chat turn needs. */
export interface ChatParts {
  memory: MemoryPort;
  model: (character: Character) => ResolvedModel;
  /** The daily budgets and usage ledger the runner's turns count against (budgetGate). */
  budget: BudgetGate;
  mcp?: McpPool | undefined;
  character?: (id: string) => Promise<Character>;
}

/**
 * One chat turn: the character's model, memory and MCP tools, as `carrier chat` runs it. It is
 * priced and capped like the runner's turns: reserved before the model runs (refused, or on
 * the character's fallback model, over a cap) and settled in the usage ledger after.
 */
export async function chatReply(message: ChatMessage, parts: ChatParts): Promise<string> {
  const character = await (parts.character ?? loadCharacter)(message.character);
  const id = randomUUID();
  const admission = await parts.budget.admitOn({ turnId: id, character, userId: message.user }, parts.model);
  if (admission.kind === 'refused') return admission.text;
  const result = await runTurn(
    { id, character, conversation: message.conversation, user: { id: message.user }, text: message.text },
    { model: admission.model, memory: parts.memory, ...(parts.mcp ? { mcp: parts.mcp } : {}) },
  );
  await parts.budget.settle(id, result.usage);
  return result.reply;
}
