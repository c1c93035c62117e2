#!/usr/bin/env node
// The `carrier` CLI. The command list and `--help` load nothing but commander; a command's module
// is loaded only when that command runs (compiled.mjs), so `carrier characters validate` never
// loads the agents SDK, PGlite or the AWS SDK.
import { Command } from 'commander';
import { loadCommand } from './compiled.mjs';

/** Each command: its description, and its module in bin/commands/, which adds the rest. */
const COMMANDS = {
  dev: 'run the local stack: API, Discord interactions, queue, runner and scheduler on one port',
  chat: 'talk to a character in the terminal; with --message, print one reply and exit',
  characters: 'work with character files',
  memory: 'the memory store: init, add, search, list, import knowledge, forget a user, stats',
  posts: 'schedule and inspect Instagram posts',
  keys: 'create, list and revoke API keys',
  usage: 'turns, tokens and cost per day, character or user, from the usage ledger',
  discord: "work with a character's Discord application",
  doctor:
    'check settings, keys, characters, models, Discord, MCP servers, FTP, Instagram and the database; one line per problem with its fix',
};

const program = new Command('carrier')
  .description(
    'Character-driven AI agents: local stack, chat, memory, posts, keys, Discord commands and doctor',
  )
  .showHelpAfterError();

const args = process.argv.slice(2);
const invoked = args[0] === 'help' ? args[1] : args[0];
for (const [name, description] of Object.entries(COMMANDS)) {
  const command = program.command(name).description(description);
  if (name === invoked) (await loadCommand(name)).register(command);
}

await program.parseAsync();
