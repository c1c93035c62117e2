import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

export interface PinnedRequest {
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  signal: AbortSignal;
}

/** One keep-alive pool per pinned fetch: a reused socket is one that was opened to a checked address. */
export interface Agents {
  http: HttpAgent;
  https: HttpsAgent;
}

/*
 * An idle kept-alive socket is closed after 4 s (undici's default, under the usual 5 s of
 * servers), so a socket left idle longer (a Lambda frozen between invocations) is not reused
 * after the server has closed it.
 * Measured here on Node 20 and 24: the timeout closes free sockets only; a response that is
 * slow or idle mid-stream (an MCP SSE stream) is left alone.
 */
const AGENT_OPTIONS = { keepAlive: true, timeout: 4_000 };

export const newAgents = (): Agents => ({
  http: new HttpAgent(AGENT_OPTIONS),
  https: new HttpsAgent(AGENT_OPTIONS),
});

/**
 * A DNS lookup that answers with the given addresses whatever name it is asked for: the socket
 * connects to what was checked, and TLS still verifies the certificate against the URL's host
 * name (Node sets `servername` from the host, not from the lookup).
 */
export function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const entries = addresses.map((address) => ({ address, family: isIP(address) }));
  return (_hostname, options, callback) => {
    if (options.all) return (callback as (e: null, a: typeof entries) => void)(null, entries);
    callback(null, entries[0]!.address, entries[0]!.family);
  };
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * Sends one request over node:http(s) with the connection pinned to `addresses`, and answers
 * with a WHATWG Response like fetch's (status, headers, a streamed body, `url`). Redirects are
 * returned, never followed here. An abort rejects with the signal's reason, as fetch does.
 */
export function sendPinned(
  url: URL,
  addresses: readonly string[],
  req: PinnedRequest,
  agents: Agents,
): Promise<Response> {
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const outgoing = send(
      url,
      {
        method: req.method,
        headers: { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) },
        agent: https ? agents.https : agents.http,
        lookup: pinnedLookup(addresses),
        signal: req.signal,
      },
      (incoming) => {
        try {
          resolve(toResponse(url, req.method, incoming));
        } catch (error) {
          incoming.destroy();
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      },
    );
    outgoing.on('error', (error) => reject(req.signal.aborted ? req.signal.reason : error));
    outgoing.end(req.body);
  });
}

function toResponse(url: URL, method: string, incoming: IncomingMessage): Response {
  const status = incoming.statusCode ?? 0;
  const headers = new Headers();
  for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) {
    headers.append(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
  }
  const empty = method === 'HEAD' || NULL_BODY.has(status);
  if (empty) incoming.resume();
  const body = empty ? null : (Readable.toWeb(decoded(incoming)) as ReadableStream<Uint8Array>);
  const response = new Response(body, { status, statusText: incoming.statusMessage ?? '', headers });
  Object.defineProperty(response, 'url', { value: url.href });
  return response;
}

/** fetch decodes compressed bodies; so does this, for a server that compresses unasked. */
function decoded(incoming: IncomingMessage): Readable {
  const encoding = incoming.headers['content-encoding']?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (!decoder) return incoming;
  incoming.on('error', (error) => decoder.destroy(error));
  return incoming.pipe(decoder);
}
