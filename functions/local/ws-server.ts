import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Authenticate } from '../api/auth.ts';
import { ApiError } from '../api/errors.ts';
import { eventFrame } from '../api/event-frames.ts';
import { parseFrame } from '../api/ws-session.ts';
import { ownedJob } from '../api/job-access.ts';
import { followEvents, type EventSource } from '../turns/follow-events.ts';

export const WS_PATH = '/v1/ws';

export interface LocalWebSocketDeps {
  authenticate: Authenticate;
  /** The API app: a `message` frame is the same request as POST /v1/agents/{agent}/messages. */
  fetch(request: Request): Response | Promise<Response>;
  source: EventSource;
  pollMs?: number;
}

/**
 * The WebSocket API on the local stack's port, `ws://127.0.0.1:<PORT>/v1/ws`, with the frames
 * of the deployed API Gateway WebSocket API: connecting authenticates an API key or an OIDC
 * access token (`Authorization: Bearer`, `x-api-key` or `?key=`; refused with 401 before the upgrade); a
 * `{"action":"message","agent","body"}` frame sends `body` as POST /v1/agents/{agent}/messages
 * would, answers `{"type":"queued",jobId}` (or `{"type":"error"}`), and `{"action":"subscribe",
 * "jobId","after"}` follows a job of the key's tenant; then the job's events come as
 * `{"type":"event",...}` frames until `done` or a final error. A client that goes
 * away stops only its own subscriptions; the turn runs on.
 *
 * @example
 * const ws = attachWebSocket(server, { authenticate, fetch: app.fetch, source: { events, turns } });
 */
export function attachWebSocket(server: Server, deps: LocalWebSocketDeps): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://local');
    if (url.pathname !== WS_PATH)
      return refuse(socket, 404, `no WebSocket at ${url.pathname}; use ${WS_PATH}`);
    // As the deployed adapter reads it (adapters/lambda/websocket.ts): Bearer, x-api-key, ?key=.
    const apiKey = request.headers['x-api-key'];
    const key =
      /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ??
      (typeof apiKey === 'string' && apiKey ? apiKey : undefined) ??
      url.searchParams.get('key');
    if (!key)
      return refuse(
        socket,
        401,
        'send an API key or an access token as Authorization: Bearer <credential>, x-api-key: <key> or ?key=<credential>',
      );
    void deps.authenticate(key).then(
      (principal) => {
        if (!principal) return refuse(socket, 401, 'the API key is unknown or revoked');
        wss.handleUpgrade(request, socket, head, (ws) => serve(ws, key, deps));
      },
      // An access token that does not verify says why, as on the HTTP routes.
      (error: unknown) =>
        error instanceof ApiError && error.status === 401
          ? refuse(socket, 401, error.message)
          : refuse(socket, 503, 'the credential could not be checked; try again'),
    );
  };
  server.on('upgrade', onUpgrade);
  return {
    close: () =>
      new Promise((resolve) => {
        server.off('upgrade', onUpgrade);
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

function serve(ws: WebSocket, key: string, deps: LocalWebSocketDeps): void {
  const gone = new AbortController();
  ws.on('close', () => gone.abort());
  // A frame over maxPayload or a protocol error: ws closes this socket itself (1009, 1002) and
  // emits the error; unheard, it was an uncaught exception that ended the whole stack.
  ws.on('error', () => ws.terminate());
  const send = (frame: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  ws.on('message', (raw) => {
    void onMessage(String(raw)).catch(() =>
      send({ type: 'error', error: { code: 'internal', message: 'the message could not be handled' } }),
    );
  });

  async function onMessage(text: string): Promise<void> {
    const frame = parseFrame(text);
    if ('type' in frame) return send(frame);
    const ref = frame.ref ? { ref: frame.ref } : {};
    let jobId: string;
    if (frame.action === 'subscribe') {
      const principal = await deps.authenticate(key);
      const owned = principal
        ? await ownedJob(deps.source.turns, frame.jobId, principal).catch((e: unknown) => e as Error)
        : new Error('the API key is unknown or revoked');
      if (owned instanceof Error) {
        const status = owned instanceof ApiError ? owned.status : 401;
        const code = owned instanceof ApiError ? owned.code : 'unauthenticated';
        return send({ type: 'error', ...ref, status, error: { code, message: owned.message } });
      }
      jobId = owned.id;
      send({ type: 'subscribed', ...ref, jobId, after: frame.after });
    } else {
      const response = await deps.fetch(
        new Request(`http://local/v1/agents/${frame.agent}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(frame.body),
        }),
      );
      const answer = (await response.json()) as { jobId?: string; error?: unknown };
      if (!answer.jobId) return send({ type: 'error', ...ref, status: response.status, error: answer.error });
      jobId = answer.jobId;
      send({ type: 'queued', ...ref, jobId });
    }
    const after = frame.action === 'subscribe' ? frame.after : 0;
    for await (const event of followEvents(deps.source, jobId, after, {
      signal: gone.signal,
      ...(deps.pollMs ? { pollMs: deps.pollMs } : {}),
    })) {
      send({ type: 'event', ...eventFrame(jobId, event) });
    }
  }
}

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: { code: status === 401 ? 'unauthenticated' : 'refused', message } });
  socket.end(
    `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Service Unavailable'}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
