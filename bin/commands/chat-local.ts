import type { Settings } from '#core/config/settings.ts';
import { loadCharacter } from '#core/characters/load.ts';
import { consoleLog } from '#core/local/console-log.ts';
import { chatReply } from '#core/local/stack-chat.ts';
import { budgetGate } from '#core/wiring/budget.ts';
import { loadMcpConfigIfPresent } from '#core/mcp/config.ts';
import { pinnedOutbound } from '#core/adapters/http/pinned-fetch.ts';
import { McpPool } from '#core/mcp/pool.ts';
import { selectModel } from '#core/adapters/models/select.ts';
import { storeMemory } from '#core/wiring/memory.ts';
import { openStore } from '#core/adapters/store/open.ts';
import type { SqlStore } from '#core/ports/sql.ts';

export interface ChatOptions {
  message?: string;
  conversation: string;
  user: string;
}

/** Answers one message; `close` ends what answering needed. */
export interface Chat {
  name: string;
  say(text: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A chat that opens the store itself (nothing else holds it): the character's model, the
 * MCP servers of config/mcp_servers.json and the memory the local stack would use, in the store
 * `opening` opens (the caller may have started it). Loaded only on this path, so a chat
 * through a running stack never loads the agents SDK or PGlite.
 */
export async function openChat(
  id: string,
  options: ChatOptions,
  settings: Settings,
  opening: Promise<SqlStore> = openStore(settings.env, { migrate: true }),
): Promise<Chat> {
  const mcpConfig = await loadMcpConfigIfPresent();
  const character = await loadCharacter(id, undefined, mcpConfig);
  const model = selectModel(character, { deployed: false, env: settings.env });
  if (model.notice) process.stderr.write(`carrier: ${model.notice}\n`);
  const mcp =
    mcpConfig &&
    new McpPool(mcpConfig, {
      allowStdio: true,
      // The local runner's servers may be on this machine or the LAN.
      outbound: pinnedOutbound('any'),
      env: (name) => settings.env[name],
      warn: (m) => process.stderr.write(`carrier: ${m}\n`),
    });
  // What chat remembers is where the local stack keeps it: the store the settings select.
  const store = await opening;
  const memory = await storeMemory(store, settings, {
    character: async () => character,
    model: () => model,
    log: consoleLog(undefined, 'WARN'),
  });
  const parts = {
    model: () => model,
    memory,
    budget: budgetGate(store, settings.env),
    character: async () => character,
    ...(mcp ? { mcp } : {}),
  };
  return {
    name: character.name,
    say: (text) =>
      chatReply({ character: id, conversation: options.conversation, user: options.user, text }, parts),
    async close() {
      await mcp?.close();
      await memory.settle();
      await store.close();
    },
  };
}
