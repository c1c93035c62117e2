import { Command } from 'commander';
import { registerCharacters } from './commands/characters.ts';
import { registerChat } from './commands/chat.ts';
import { registerDiscord } from './commands/discord.ts';

const program = new Command('carrier')
  .description('Character-driven AI agents: local stack, chat, memory, posts and deployment helpers')
  .showHelpAfterError();

registerCharacters(program);
registerChat(program);
registerDiscord(program);

program
  .command('dev')
  .description('run the local stack (API, Discord interactions, queue, runner, scheduler)')
  .action(() => {
    process.stdout.write(
      'carrier: local stack not built yet; try `npx carrier chat ada --message "hello"`\n',
    );
  });

await program.parseAsync();
