import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { runTurn, type TurnDeps } from '#core/agents/run-turn.ts';
import { loadCharacter } from '#core/characters/load.ts';
import type { Character } from '#core/characters/schema.ts';
import { loadSettings } from '#core/wiring/settings.ts';
import { consoleLog } from '#core/local/console-log.ts';
import { loadMcpConfigIfPresent } from '#core/mcp/config.ts';
import { pinnedOutbound } from '#core/adapters/http/pinned-fetch.ts';
import { McpPool } from '#core/mcp/pool.ts';
import { selectModel } from '#core/adapters/models/select.ts';
import { storeMemory } from '#core/wiring/memory.ts';
import { openStore } from '#core/adapters/store/open.ts';
import { action } from '../cli-errors.ts';

interface ChatOptions {
  message?: string;
  conversation: string;
  user: string;
}

/** `carrier chat`: its arguments, options and action. */
export function register(command: Command): void {
  command
    .argument('<character>', 'character id (a file name in characters/)')
    .option('-m, --message <text>', 'send one message, print the reply on stdout and exit')
    .option('-c, --conversation <id>', 'conversation id: memory is kept per conversation', 'cli')
    .option('-u, --user <id>', 'who is talking', process.env.USER ?? 'local-user')
    .action(
      action(async (id: string, options: ChatOptions) => {
        const settings = await loadSettings();
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
        const store = await openStore(settings.env, { migrate: true });
        const memory = await storeMemory(store, settings, () => model, consoleLog(undefined, 'WARN'));
        const deps: TurnDeps = { model, memory, ...(mcp ? { mcp } : {}) };
        try {
          if (options.message !== undefined) {
            process.stdout.write(`${await say(character, options, options.message, deps)}\n`);
          } else {
            await repl(character, options, deps);
          }
        } finally {
          await mcp?.close();
          await memory.settle();
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
