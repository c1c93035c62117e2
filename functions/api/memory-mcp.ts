import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { hasScope, type Principal } from '../ports/api-keys.ts';
import type { Log } from '../ports/log.ts';
import { ApiError } from './errors.ts';
import type { MemoryAccess } from './memory-access.ts';
import { addFactBody, forgetQuery, memoriesQuery } from './schemas.ts';

/** The tools a key sees: reading needs memories:read, changing needs memories:write. */
export const MEMORY_TOOLS = {
  search_memories: 'memories:read',
  list_recent: 'memories:read',
  add_fact: 'memories:write',
  forget_user: 'memories:write',
} as const;

export interface MemoryMcpOptions {
  agent: { id: string; name: string };
  principal: Principal;
  memories: MemoryAccess;
  version: string;
  log?: Pick<Log, 'error'>;
}

const userId = memoriesQuery.shape.userId;
const limit = memoriesQuery.shape.limit;

/**
 * One character's memory as an MCP server, built per request for one key (the endpoint is
 * stateless: Lambda has no sticky sessions). Only the tools the key's scopes allow are
 * registered, so `tools/list` shows what the key may call and nothing else.
 *
 * @example
 * const server = memoryMcpServer({ agent, principal, memories: memoryAccess(deps, principal, agent.id), version });
 * await server.connect(transport);
 */
export function memoryMcpServer(options: MemoryMcpOptions): McpServer {
  const { agent, principal, memories } = options;
  const server = new McpServer(
    { name: `carrier-${agent.id}-memory`, version: options.version },
    { instructions: instructions(agent, hasScope(principal, 'memories:write')) },
  );
  const allowed = (tool: keyof typeof MEMORY_TOOLS) => hasScope(principal, MEMORY_TOOLS[tool]);
  const answer = answerWith(options.log);

  if (allowed('search_memories')) {
    server.registerTool(
      'search_memories',
      {
        description: `Search ${agent.name}'s memories by relevance: facts, past messages and knowledge. Every user's unless userId narrows it.`,
        inputSchema: {
          query: z.string().trim().min(1).max(2000).describe('what to look for'),
          userId: userId.describe("only this user's memories (and shared knowledge)"),
          type: memoriesQuery.shape.type.describe('only memories of this type'),
          limit,
        },
        annotations: { readOnlyHint: true },
      },
      (args) => answer(async () => ({ memories: await memories.search(args) })),
    );
  }
  if (allowed('list_recent')) {
    server.registerTool(
      'list_recent',
      {
        description: `${agent.name}'s most recent memories, newest first. Every user's unless userId narrows it.`,
        inputSchema: { userId: userId.describe("only this user's memories"), limit },
        annotations: { readOnlyHint: true },
      },
      (args) => answer(async () => ({ memories: await memories.search(args) })),
    );
  }
  if (allowed('add_fact')) {
    server.registerTool(
      'add_fact',
      {
        description: `Tell ${agent.name} a lasting fact about a user; it recalls it in that user's conversations. The same fact twice is stored once.`,
        inputSchema: {
          userId: forgetQuery.shape.userId.describe('the user the fact is about'),
          text: addFactBody.shape.text,
        },
      },
      ({ userId: user, text }) => answer(() => memories.addFact(user, text)),
    );
  }
  if (allowed('forget_user')) {
    server.registerTool(
      'forget_user',
      {
        description: `Erase everything ${agent.name} remembers about a user. Cannot be undone.`,
        inputSchema: { userId: forgetQuery.shape.userId.describe('the user to forget') },
        annotations: { destructiveHint: true, idempotentHint: true },
      },
      ({ userId: user }) => answer(() => memories.forget(user)),
    );
  }
  return server;
}

function instructions(agent: { id: string; name: string }, canWrite: boolean): string {
  const about = `The memory of ${agent.name} (${agent.id}): what its users told it, facts about them and its knowledge. User ids are the ones API messages use.`;
  // Said up front, so a client does not go looking for tools that are not there.
  return canWrite
    ? about
    : `${about} This API key only reads: add_fact and forget_user need a key with the memories:write scope.`;
}

/**
 * A tool's result as JSON text. A failure is a tool error the model can read: an ApiError says
 * what was wrong, as it would over HTTP; anything else (a store down) says nothing about
 * internals, like the API's 500, and the log has the detail.
 */
function answerWith(log?: Pick<Log, 'error'>) {
  return async (work: () => Promise<unknown>) => {
    try {
      return { content: [{ type: 'text' as const, text: JSON.stringify(await work()) }] };
    } catch (error) {
      if (error instanceof ApiError)
        return { content: [{ type: 'text' as const, text: error.message }], isError: true };
      log?.error('MCP memory tool failed', { error: error instanceof Error ? error.message : String(error) });
      return {
        content: [{ type: 'text' as const, text: 'something went wrong on our side; try again' }],
        isError: true,
      };
    }
  };
}
