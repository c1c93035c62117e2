import { Command } from 'commander';
import { registerCharacters } from './commands/characters.ts';
import { registerChat } from './commands/chat.ts';
import { registerDev } from './commands/dev.ts';
import { registerKeys } from './commands/keys.ts';
import { registerMemory } from './commands/memory.ts';
import { registerPosts } from './commands/posts.ts';

const program = new Command('carrier')
  .description('Character-driven AI agents: local stack, chat, memory, posts and deployment helpers')
  .showHelpAfterError();

registerCharacters(program);
registerChat(program);

registerDev(program);
registerKeys(program);
registerMemory(program);
registerPosts(program);

await program.parseAsync();
