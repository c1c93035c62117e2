import type { Command } from 'commander';
import { loadSettings } from '#core/wiring/settings.ts';
import { CarrierError } from '#core/errors.ts';
import { startBanner } from '#core/local/banner.ts';
import { consoleLog } from '#core/local/console-log.ts';
import { startLocalStack } from '#core/local/stack.ts';
import { loadMcpConfigIfPresent } from '#core/mcp/config.ts';
import { pinnedOutbound } from '#core/adapters/http/pinned-fetch.ts';
import { McpPool } from '#core/mcp/pool.ts';
import { action } from '../cli-errors.ts';

/** `carrier dev`: its arguments, options and action. */
export function register(command: Command): void {
  command
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(
      action(async (options: { port?: string; host: string }) => {
        // Checked before anything starts, so a typo costs no MCP or database start-up.
        const port = options.port === undefined ? undefined : parsePort(options.port);
        const settings = await loadSettings();
        const log = consoleLog(undefined, settings.logLevel);
        const mcpConfig = await loadMcpConfigIfPresent();
        const mcp = mcpConfig
          ? new McpPool(mcpConfig, {
              allowStdio: true,
              // The local runner's servers may be on this machine or the LAN.
              outbound: pinnedOutbound('any'),
              env: (name) => settings.env[name],
              warn: (message) => log.warn(message),
            })
          : undefined;
        const stack = await startLocalStack({
          settings,
          ...(port !== undefined ? { port } : {}),
          hostname: options.host,
          ...(mcp ? { mcp } : {}),
          log,
        });
        process.stdout.write(`${startBanner(stack, settings, modelSummary(settings.env))}\n`);
        await stopped();
        process.stderr.write('stopping: finishing the turns in progress… (Ctrl-C again to quit now)\n');
        await stack.stop();
      }),
    );
}

/**
 * Resolves at the first SIGINT or SIGTERM; a second one quits at once. The listeners stay on
 * while the stack stops: the agents SDK's own signal listener calls process.exit() when it
 * finds no other, which cut the stop short and left the data folder's lock and socket behind.
 */
function stopped(): Promise<void> {
  return new Promise((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals === 1) return resolve();
      process.stderr.write(`${signal} again: quitting without finishing the turns in progress\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** `--port`: a whole number 1-65535 (0 is for tests, which call the stack directly). */
function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new CarrierError(
      `--port ${value}: expected a port number from 1 to 65535, e.g. --port 3000`,
      'bad_port',
    );
  }
  return port;
}

function modelSummary(env: Readonly<Record<string, string>>): string {
  if (env.CARRIER_MODEL === 'offline') return 'offline (CARRIER_MODEL=offline)';
  const keys = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_API_KEY'].filter((k) => env[k]);
  return keys.length
    ? `per character, with ${keys.join(', ')}`
    : 'offline (no OPENAI_API_KEY, OPENAI_BASE_URL or ANTHROPIC_API_KEY set)';
}
