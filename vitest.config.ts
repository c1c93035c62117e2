import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/file-hygiene.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: PGlite and MCP child processes are heavy, so keep workers few.
    maxWorkers: 2,
    // Files share a worker's module cache: re-importing the SDKs, PGlite and the app for each
    // of ~150 files cost more than the tests (import 155 s of a 527 s run; 19 s of 295 s shared).
    // What a file changes (env, timers, spies) is undone when it ends: test/support/file-hygiene.ts.
    isolate: false,
  },
});
