import type { Command } from 'commander';
import { CHARACTERS_DIR, validateCharacters } from '#core/characters/load.ts';
import { formatProblem } from '#core/errors.ts';
import { loadMcpConfig } from '#core/mcp/config.ts';
import { action } from '../cli-errors.ts';

/** `carrier characters …`: the subcommands of the `characters` command. */
export function register(characters: Command): void {
  characters
    .command('validate')
    .description('validate character files (default: characters/); one line per problem')
    .argument('[paths...]', 'character files or folders', [CHARACTERS_DIR])
    .action(
      action(async (paths: string[]) => {
        const problems = await validateCharacters(paths, await loadMcpConfig());
        for (const problem of problems) process.stdout.write(`${formatProblem(problem)}\n`);
        if (problems.length) process.exitCode = 1;
        else process.stderr.write(`ok: ${paths.join(', ')}\n`);
      }),
    );
}
