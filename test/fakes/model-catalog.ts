import { createServer } from 'node:http';
import { listenOnLoopback } from './loopback.ts';

export interface ModelCatalog {
  /** `http://127.0.0.1:<port>`: OPENAI_BASE_URL is this plus `/v1`, ANTHROPIC_BASE_URL this. */
  origin: string;
  requests: Array<{ path: string; key?: string }>;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for the providers' model endpoints (GET /v1/models/{id}) in both wire
 * formats: OpenAI's key in `Authorization: Bearer`, Anthropic's in `x-api-key`. An unknown key
 * gets the provider's 401 body, an unknown model its 404.
 *
 * @example
 * const catalog = await startModelCatalog({ keys: ['sk-good'], models: ['gpt-4.1-mini'] });
 */
export async function startModelCatalog(options: {
  keys: string[];
  models: string[];
}): Promise<ModelCatalog> {
  const requests: ModelCatalog['requests'] = [];
  const server = createServer((req, res) => {
    const anthropic = req.headers['x-api-key'] !== undefined;
    const key = anthropic
      ? String(req.headers['x-api-key'])
      : req.headers.authorization?.replace(/^Bearer /, '');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, ...(key ? { key } : {}) });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, type: string, message: string) =>
      send(
        status,
        anthropic ? { type: 'error', error: { type, message } } : { error: { message, type, code: type } },
      );
    const model = /^\/v1\/models\/([^/]+)$/.exec(path)?.[1];
    if (!key || !options.keys.includes(key)) {
      return fail(401, anthropic ? 'authentication_error' : 'invalid_api_key', 'Incorrect API key provided');
    }
    if (!model || !options.models.includes(decodeURIComponent(model))) {
      return fail(404, 'not_found_error', `The model '${model}' does not exist`);
    }
    const id = decodeURIComponent(model);
    send(
      200,
      anthropic
        ? { type: 'model', id, display_name: id, created_at: '2026-01-01T00:00:00Z' }
        : { id, object: 'model', created: 1_700_000_000, owned_by: 'system' },
    );
  });
  return { ...(await listenOnLoopback(server)), requests };
}
