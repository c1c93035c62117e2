import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { z } from 'zod';
import { pinnedOutbound } from '#core/adapters/http/pinned-fetch.ts';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import { startLocalStack, type LocalStack } from '#core/local/stack.ts';
import { mcpConfigSchema } from '#core/mcp/config.ts';
import { McpPool } from '#core/mcp/pool.ts';
import { startSdkMcpServer, type SdkMcpServer } from '#test/fakes/mcp-sdk-server.ts';
import { openMigratedPglite } from '#test/support/pglite.ts';
import { testSettings } from '../../local/support/stack.ts';

/** Where the browser tests leave their screenshots (gitignored). */
export const SHOTS = join(process.cwd(), 'test-results', 'console');

export interface ConsoleStack {
  /** The running stack (a new one after `startStack`, on the same port and store). */
  stack: LocalStack;
  store: PgliteStore;
  browser: Browser;
  /** Every URL the pages asked for, to hold them to the stack's own origin. */
  requests: string[];
  /** A page at 1280×800 that records its requests. */
  page(): Promise<Page>;
  /** The console with the dev key in the fragment, as the start banner prints it. */
  consoleUrl: string;
  api(path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  /** Stops the stack as Ctrl+C does (the turn in flight runs out first); open pages stay. */
  stopStack(): Promise<void>;
  /** Starts it again on the same port and data, as `npm start` after a stop (if it is stopped). */
  startStack(): Promise<void>;
  close(): Promise<void>;
}

export interface ConsoleStackOptions {
  /** The offline model's pause before each word of a reply. Default 80 ms. */
  chunkDelayMs?: number;
}

/**
 * The page as the deployed API serves it, following replies by long-poll (test/deployed reads
 * data-live="poll" from the asset).
 */
export const servedAsDeployed = (page: Page) =>
  page.route('**/console', async (route) => {
    const served = await route.fetch();
    const html = (await served.text()).replace('data-live="stream"', 'data-live="poll"');
    await route.fulfill({ response: served, body: html });
  });

/** A full-page screenshot under test-results/console/. */
export const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/**
 * What `npm start` runs, in this process: the local stack with the offline model streaming in
 * chunks, an MCP server on loopback as orbit's `everything` (get-sum), and headless Debian
 * chromium driven by playwright-core. One per test file.
 */
export async function consoleStack(options: ConsoleStackOptions = {}): Promise<ConsoleStack> {
  const store = await openMigratedPglite();
  const tools: SdkMcpServer = await startSdkMcpServer({
    register: (server) =>
      server.registerTool(
        'get-sum',
        { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } },
        async ({ a, b }) => ({ content: [{ type: 'text', text: `The sum of ${a} and ${b} is ${a + b}.` }] }),
      ),
  });
  // A pool per start: a stopped stack closes the one it was given.
  const mcp = () =>
    new McpPool(
      mcpConfigSchema.parse({
        mcpServers: { everything: { type: 'streamable-http', url: tools.url, timeout_ms: 5000 } },
      }),
      { allowStdio: false, outbound: pinnedOutbound('loopback'), warn: () => undefined },
    );
  const dataDir = await mkdtemp(join(tmpdir(), 'carrier-console-'));
  const settings = await testSettings({
    CARRIER_DATA_DIR: dataDir,
    CARRIER_MODEL: 'offline',
    CARRIER_OFFLINE_CHUNK_DELAY_MS: String(options.chunkDelayMs ?? 80),
  });
  const start = (port: number) =>
    startLocalStack({ settings, port, store, mcp: mcp(), tick: false, schedules: false });
  let stack: LocalStack | undefined = await start(0);
  const { port, url, devApiKey } = stack;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  // One context for the file: each page still has its own sessionStorage (the key it was given).
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await mkdir(SHOTS, { recursive: true });
  const requests: string[] = [];
  const headers = { authorization: `Bearer ${devApiKey}`, 'content-type': 'application/json' };
  return {
    get stack() {
      if (!stack) throw new Error('the stack is stopped: startStack() first');
      return stack;
    },
    store,
    browser,
    requests,
    async page() {
      const page = await context.newPage();
      page.on('request', (request) => requests.push(request.url()));
      return page;
    },
    consoleUrl: `${url}/console#key=${encodeURIComponent(devApiKey)}`,
    api: (path, init = {}) =>
      fetch(`${url}/v1${path}`, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      }),
    async stopStack() {
      await stack?.stop();
      stack = undefined;
    },
    async startStack() {
      stack ??= await start(port);
    },
    async close() {
      await browser.close();
      await stack?.stop();
      await tools.stop();
      await store.close();
    },
  };
}
