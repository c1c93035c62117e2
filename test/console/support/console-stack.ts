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
  close(): Promise<void>;
}

/**
 * What `npm start` runs, in this process: the local stack with the offline model streaming in
 * chunks, an MCP server on loopback as orbit's `everything` (get-sum), and headless Debian
 * chromium driven by playwright-core. One per test file.
 */
export async function consoleStack(): Promise<ConsoleStack> {
  const store = await openMigratedPglite();
  const tools: SdkMcpServer = await startSdkMcpServer({
    register: (server) =>
      server.registerTool(
        'get-sum',
        { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } },
        async ({ a, b }) => ({ content: [{ type: 'text', text: `The sum of ${a} and ${b} is ${a + b}.` }] }),
      ),
  });
  const mcp = new McpPool(
    mcpConfigSchema.parse({
      mcpServers: { everything: { type: 'streamable-http', url: tools.url, timeout_ms: 5000 } },
    }),
    { allowStdio: false, outbound: pinnedOutbound('loopback'), warn: () => undefined },
  );
  const dataDir = await mkdtemp(join(tmpdir(), 'carrier-console-'));
  const settings = await testSettings({
    CARRIER_DATA_DIR: dataDir,
    CARRIER_MODEL: 'offline',
    CARRIER_OFFLINE_CHUNK_DELAY_MS: '80',
  });
  const stack = await startLocalStack({ settings, port: 0, store, mcp, tick: false, schedules: false });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  // One context for the file: each page still has its own sessionStorage (the key it was given).
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await mkdir(SHOTS, { recursive: true });
  const requests: string[] = [];
  const headers = { authorization: `Bearer ${stack.devApiKey}`, 'content-type': 'application/json' };
  return {
    stack,
    store,
    browser,
    requests,
    async page() {
      const page = await context.newPage();
      page.on('request', (request) => requests.push(request.url()));
      return page;
    },
    consoleUrl: `${stack.url}/console#key=${encodeURIComponent(stack.devApiKey)}`,
    api: (path, init = {}) =>
      fetch(`${stack.url}/v1${path}`, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      }),
    async close() {
      await browser.close();
      await stack.stop();
      await tools.stop();
      await store.close();
    },
  };
}
