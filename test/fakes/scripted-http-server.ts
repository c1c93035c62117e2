import { createServer, type IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback } from './loopback.ts';

/** One scripted answer: status, JSON body and extra headers. */
export interface ScriptedReply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  // Tests read provider payloads field by field; their shapes are the providers' wire formats.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface ScriptedServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP server that answers each request with the next scripted reply, in order, and
 * records what it received. Past the script it answers 500 with `x-should-retry: false`, so a
 * client that asks more than the test expected fails loudly instead of retrying.
 *
 * @example
 * const server = await startScriptedServer([{ status: 429, body: { error: {} } }, { body: ok }]);
 */
export async function startScriptedServer(script: ScriptedReply[]): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const queue = [...script];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
      });
      const reply = queue.shift() ?? {
        status: 500,
        body: { error: { message: `the fake has no reply scripted for request ${requests.length}` } },
        headers: { 'x-should-retry': 'false' },
      };
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      // An event stream is scripted as its raw text.
      const stream =
        reply.headers?.['content-type'] === 'text/event-stream' && typeof reply.body === 'string';
      res.end(stream ? (reply.body as string) : JSON.stringify(reply.body));
    });
  });
  return { ...(await listenOnLoopback(server)), requests };
}

/** A retryable failure that asks the client to wait only a moment, keeping tests quick. */
export function failure(status: 429 | 500 | 503, message = `status ${status} from the fake`): ScriptedReply {
  return { status, body: { error: { message, type: 'fake_error' } }, headers: { 'retry-after-ms': '5' } };
}
