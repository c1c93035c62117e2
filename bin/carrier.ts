import { Command } from 'commander';
import { registerCharacters } from './commands/characters.ts';
import { registerChat } from './commands/chat.ts';
import { registerDev } from './commands/dev.ts';
import { registerDiscord } from './commands/discord.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerKeys } from './commands/keys.ts';
import { registerMemory } from './commands/memory.ts';
import { registerPosts } from './commands/posts.ts';

const program = new Command('carrier')
  .description(
    'Character-driven AI agents: local stack, chat, memory, posts, keys, Discord commands and doctor',
  )
  .showHelpAfterError();

registerDev(program);
registerChat(program);
registerCharacters(program);
registerMemory(program);
registerPosts(program);
registerKeys(program);
registerDiscord(program);
registerDoctor(program);

await program.parseAsync();
