import type { Command } from 'commander';
import { applyImport, describeStep, planImport } from '#core/characters/import.ts';
import { CHARACTERS_DIR, validateCharacters } from '#core/characters/load.ts';
import { formatProblem } from '#core/errors.ts';
import { runningStack } from '#core/local/running-stack.ts';
import { loadMcpConfigIfPresent } from '#core/mcp/config.ts';
import { loadSettings } from '#core/wiring/settings.ts';
import { action } from '../cli-errors.ts';

interface ImportOptions {
  to: string;
  force?: boolean;
  dryRun?: boolean;
}

/** `carrier characters …`: the subcommands of the `characters` command. */
export function register(characters: Command): void {
  characters
    .command('validate')
    .description('validate character files (default: characters/); one line per problem')
    .argument('[paths...]', 'character files or folders', [CHARACTERS_DIR])
    .action(
      action(async (paths: string[]) => {
        // Like chat and the local stack: a project without config/mcp_servers.json has no servers.
        const problems = await validateCharacters(
          paths,
          (await loadMcpConfigIfPresent()) ?? { mcpServers: {} },
        );
        for (const problem of problems) process.stdout.write(`${formatProblem(problem)}\n`);
        if (problems.length) process.exitCode = 1;
        else process.stderr.write(`ok: ${paths.join(', ')}\n`);
      }),
    );
  characters
    .command('import')
    .description(
      'copy character files (ElizaOS *.character.json, *.json, extension-less JSON) into characters/ as <id>.json',
    )
    .argument('<paths...>', 'character files or folders of them')
    .option('--to <dir>', 'the characters folder', CHARACTERS_DIR)
    .option('--force', 'replace a character that is already there with different content')
    .option('--dry-run', 'say what would be copied and copy nothing')
    .action(
      action(async (paths: string[], options: ImportOptions) => {
        const mcp = await loadMcpConfigIfPresent();
        const plan = await planImport(paths, {
          to: options.to,
          force: options.force,
          ...(mcp ? { mcp } : {}),
        });
        if (plan.problems.length) {
          for (const problem of plan.problems) process.stderr.write(`carrier: ${formatProblem(problem)}\n`);
          process.stderr.write(`carrier: nothing imported; fix the files above and run the import again\n`);
          process.exitCode = 1;
          return;
        }
        if (!options.dryRun) await applyImport(plan);
        for (const step of plan.steps) process.stdout.write(`${describeStep(step)}\n`);
        if (plan.ignored.length) {
          process.stderr.write(`ignored (not character files): ${plan.ignored.join(', ')}\n`);
        }
        if (options.dryRun) return void process.stderr.write('dry run: nothing copied\n');
        // The local stack reads characters/ as it starts: a new one is served after a restart.
        // Best effort, after the copy: settings that do not load cost the import nothing.
        const stack = plan.steps.some((s) => !s.unchanged)
          ? await loadSettings()
              .then((settings) => runningStack(settings.env))
              .catch(() => undefined)
          : undefined;
        if (stack) {
          process.stderr.write(
            `carrier: npm start is running at ${stack.url} (pid ${stack.pid}): restart it (Ctrl-C, then npm start) to serve the imported characters\n`,
          );
        }
      }),
    );
}
