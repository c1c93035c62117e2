import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { errorBody } from '../http/error-body.ts';

/**
 * The console's files: plain ES modules and CSS, served as they are (no build step). Beside this
 * module, in the sources, the CLI's bundle (bin/compiled.mjs copies the folder there) and the API
 * function's asset (the stack copies it next to index.mjs) alike.
 */
const DIR = fileURLToPath(new URL('./console/', import.meta.url));

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** A file name the console has: one optional folder, lower-case names; nothing else is read. */
const FILE = /^\/console\/((?:[a-z0-9-]+\/)?[a-z0-9-]+\.(html|js|css))$/;

/**
 * The page may load and call only its own origin, run only its own scripts and be framed by no
 * one: the key it holds is never sent elsewhere, and no other site can drive it.
 */
const HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob:; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * How the page follows a reply: `stream` reads the job's Server-Sent Events as they come (the
 * local stack); `poll` long-polls `?after=` (behind API Gateway, which buffers a whole answer).
 */
export type ConsoleLive = 'stream' | 'poll';

/**
 * GET /console and its files, read from functions/api/console at each request (an edit shows on
 * reload). The page calls the public /v1 API with a key or access token it keeps in the tab, so
 * this route needs none and holds no data.
 *
 * @example
 * app.get('/console/*', (c) => consoleAsset(c.req.path, 'poll'));
 */
export async function consoleAsset(path: string, live: ConsoleLive): Promise<Response> {
  const name = path === '/console' || path === '/console/' ? 'index.html' : FILE.exec(path)?.[1];
  if (!name) return missing(path);
  try {
    const file = await readFile(`${DIR}${name}`);
    const body =
      name === 'index.html'
        ? file.toString('utf8').replace('data-live="stream"', `data-live="${live}"`)
        : file;
    return new Response(body, { headers: { 'content-type': TYPES[name.split('.').pop()!]!, ...HEADERS } });
  } catch {
    return missing(path);
  }
}

function missing(path: string): Response {
  return Response.json(
    errorBody('not_found', `the console has no file ${path.slice(0, 200)}; open /console`),
    {
      status: 404,
    },
  );
}
