import { afterAll, beforeAll, vi } from 'vitest';

/**
 * Runs around every test file. Files share a worker (vitest's isolate: false), so what one file
 * leaves behind would reach the next: its process.env changes, fake timers, spies and stubs are
 * undone when it ends.
 */
let saved: NodeJS.ProcessEnv = {};
beforeAll(() => {
  saved = { ...process.env };
});
afterAll(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
  process.exitCode = undefined;
});
