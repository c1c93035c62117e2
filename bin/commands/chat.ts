import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { runTurn, type TurnDeps } from '#core/agents/run-turn.ts';
import { loadCharacter } from '#core/characters/load.ts';
import type { Character } from '#core/characters/schema.ts';
import { loadMcpConfig } from '#core/mcp/config.ts';
import { McpPool } from '#core/mcp/pool.ts';
import { openStoreMemory } from '#core/memory/open-memory.ts';
import { selectModel } from '#core/models/select.ts';
import type { ResolvedModel } from '#core/models/types.ts';
import type { MemoryPort } from '#core/ports/memory.ts';
import { action } from '../cli-errors.ts';

interface ChatOptions {
  message?: string;
  conversation: string;
  user: string;
}

/** Where chat keeps what it remembers: the configured store (PGlite under CARRIER_DATA_DIR by default). */
async function openChatMemory(model: ResolvedModel): Promise<{ memory: MemoryPort; close(): Promise<void> }> {
  return openStoreMemory(process.env, {
    modelFor: () => model,
    onError: (error, stage) => process.stderr.write(`carrier: memory ${stage} failed: ${String(error)}\n`),
  });
}

export function registerChat(program: Command): void {
  program
    .command('chat')
    .description('talk to a character in the terminal; with --message, print one reply and exit')
    .argument('<character>', 'character id (a file name in characters/)')
    .option('-m, --message <text>', 'send one message, print the reply on stdout and exit')
    .option('-c, --conversation <id>', 'conversation id: memory is kept per conversation', 'cli')
    .option('-u, --user <id>', 'who is talking', process.env.USER ?? 'local-user')
    .action(
      action(async (id: string, options: ChatOptions) => {
        const mcpConfig = await loadMcpConfig();
        const character = await loadCharacter(id, undefined, mcpConfig);
        const model = selectModel(character, { deployed: false });
        if (model.notice) process.stderr.write(`carrier: ${model.notice}\n`);
        const mcp = new McpPool(mcpConfig, {
          allowStdio: true,
          warn: (m) => process.stderr.write(`carrier: ${m}\n`),
        });
        const store = await openChatMemory(model);
        const deps: TurnDeps = { model, memory: store.memory, mcp };
        try {
          if (options.message !== undefined) {
            process.stdout.write(`${await say(character, options, options.message, deps)}\n`);
          } else {
            await repl(character, options, deps);
          }
        } finally {
          await mcp.close();
          await store.close();
        }
      }),
    );
}

async function say(
  character: Character,
  options: ChatOptions,
  text: string,
  deps: TurnDeps,
): Promise<string> {
  const result = await runTurn(
    { id: randomUUID(), character, conversation: options.conversation, user: { id: options.user }, text },
    deps,
  );
  return result.reply;
}

async function repl(character: Character, options: ChatOptions, deps: TurnDeps): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ' });
  process.stdout.write(`Talking to ${character.name} (${character.id}). Ctrl-D to leave.\n`);
  rl.prompt();
  // Reading lines as a stream (not rl.question) ends cleanly when stdin closes.
  for await (const line of rl) {
    const text = line.trim();
    if (text) process.stdout.write(`${character.id}> ${await say(character, options, text, deps)}\n`);
    rl.prompt();
  }
  process.stdout.write('\n');
}
