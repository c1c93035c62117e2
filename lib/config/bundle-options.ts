/**
 * How every Lambda is bundled, in one place: the CDK functions and `npm run bench` (bundle sizes)
 * read these, so the measured bundle is the deployed one.
 */

/** ESM bundles have no `require`; some CommonJS dependencies still call it for Node built-ins. */
export const ESM_REQUIRE_BANNER =
  "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);";

export const BUNDLE_OPTIONS = {
  /** Lambda's nodejs24.x. */
  target: 'node24',
  format: 'esm',
  minify: true,
  /** Off: `--enable-source-maps` doubles init time for large bundles (measured). */
  sourcemap: false,
  /** Prefer ES module builds: esbuild tree-shakes them far better than CommonJS. */
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  /** Nothing external: the AWS SDK is bundled too, pinned to the version the tests ran against. */
  external: [] as string[],
} as const;

/** The Lambda entry files, each exporting `handler`. */
export const HANDLER_ENTRIES = {
  interactions: 'functions/handlers/discord-interactions.ts',
  api: 'functions/handlers/api.ts',
  runner: 'functions/handlers/agent-runner.ts',
  publisher: 'functions/handlers/instagram-publisher.ts',
  tokenRefresh: 'functions/handlers/instagram-token-refresh.ts',
  deadLetters: 'functions/handlers/dead-letters.ts',
  sweeper: 'functions/handlers/turn-sweeper.ts',
  websocket: 'functions/handlers/websocket.ts',
  jobEvents: 'functions/handlers/job-events.ts',
} as const;

export type HandlerName = keyof typeof HANDLER_ENTRIES;

/**
 * Packages kept out of a handler's bundle because they carry a native binary; they ship for
 * linux-arm64 in node_modules beside it (see lambda-modules.ts). sharp converts images to JPEG.
 */
export const NATIVE_MODULES: Partial<Record<HandlerName, string[]>> = { publisher: ['sharp'] };
