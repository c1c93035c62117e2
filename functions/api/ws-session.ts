import { randomBytes } from 'node:crypto';
import { hasScope, type Principal } from '../ports/api-keys.ts';
import type { LiveConnectionRepository } from '../ports/live-connections.ts';
import { nextEvents, type EventSource } from '../turns/follow-events.ts';
import type { Authenticate } from './auth.ts';
import { ApiError } from './errors.ts';
import { eventFrame } from './event-frames.ts';
import { ownedJob } from './job-access.ts';
import { pushFrames, type LivePushDeps } from './live-push.ts';
import { clientFrameSchema, mergeDeltas, type ClientFrame, type ServerFrame } from './ws-frames.ts';

/** One WebSocket event as API Gateway gives it: its route, its connection, and what came with it. */
export interface WsEvent {
  route: string;
  connectionId: string;
  /** $connect: the API key from `Authorization: Bearer`, `x-api-key` or `?key=`. */
  key?: string;
  /** A message route: the frame's text. */
  body?: string;
}

export interface WsDeps extends LivePushDeps {
  /** The same key check as the HTTP API's. */
  authenticate: Authenticate;
  source: EventSource;
  /** The API app: a `message` frame is POST /v1/agents/{agent}/messages with `authorization`. */
  fetch(request: Request): Response | Promise<Response>;
  /** The bearer token that stands for this connection's key inside this process (connectionToken). */
  token(connectionId: string): string;
}

/** $connect's answer: API Gateway refuses the upgrade with this status unless it is 200. */
export interface WsResult {
  statusCode: number;
  body?: string;
}

/**
 * A token that authenticates a connection's requests inside this process only: the WebSocket
 * function's API app accepts it for the key the connection opened with, and nothing reachable
 * from outside ever accepts it.
 *
 * @example
 * const { token, authenticate } = connectionTokens(connections);
 */
export function connectionTokens(connections: LiveConnectionRepository) {
  const prefix = `wsc_${randomBytes(18).toString('base64url')}.`;
  return {
    token: (connectionId: string) => prefix + connectionId,
    authenticate: (async (key) =>
      key.startsWith(prefix) ? connections.principal(key.slice(prefix.length)) : undefined) as Authenticate,
  };
}

/**
 * The deployed WebSocket API, route by route: `$connect` checks the key (scope `messages`, a
 * tenant's open connections capped), `$disconnect` forgets the connection, and a frame either
 * sends a message (queued as POST messages would, and followed) or subscribes to a job of the
 * key's tenant; either way the events stored so far are sent at once and the runner pushes the
 * rest. Every bad frame gets an `error` frame naming the problem and the fix.
 *
 * @example
 * await handleWsEvent({ route: '$connect', connectionId: 'abc=', key }, deps); // { statusCode: 200 }
 */
export async function handleWsEvent(event: WsEvent, deps: WsDeps): Promise<WsResult> {
  if (event.route === '$connect') return connect(event, deps);
  if (event.route === '$disconnect') {
    await deps.connections.close(event.connectionId);
    return { statusCode: 200 };
  }
  const principal = await deps.connections.principal(event.connectionId);
  const reply = (frame: ServerFrame) => pushFrames(deps, [event.connectionId], [frame]);
  if (!principal) {
    await reply(failure(401, 'unauthenticated', 'this connection is closed or expired; connect again'));
    return { statusCode: 200 };
  }
  const frame = parseFrame(event.body ?? '');
  if ('type' in frame) {
    await reply(frame);
    return { statusCode: 200 };
  }
  try {
    const jobId =
      frame.action === 'message'
        ? await send(frame, event.connectionId, deps)
        : (await ownedJob(deps.source.turns, frame.jobId, principal)).id;
    await follow(event.connectionId, jobId, frame, deps);
  } catch (error) {
    const api = error instanceof ApiError ? error : undefined;
    if (!api)
      deps.log?.error('a WebSocket frame failed', {
        connectionId: event.connectionId,
        reason: String(error),
      });
    await reply({
      ...failure(
        api?.status ?? 500,
        api?.code ?? 'internal',
        api?.message ?? 'the frame could not be handled; send it again',
      ),
      ...(frame.ref ? { ref: frame.ref } : {}),
    });
  }
  return { statusCode: 200 };
}

async function connect(event: WsEvent, deps: WsDeps): Promise<WsResult> {
  if (!event.key)
    return refused(
      401,
      'unauthenticated',
      'send an API key as Authorization: Bearer <key>, x-api-key or ?key=',
    );
  const principal: Principal | undefined = await deps.authenticate(event.key);
  if (!principal)
    return refused(
      401,
      'unauthenticated',
      'the API key is unknown or revoked; create one with `carrier keys create`',
    );
  if (!hasScope(principal, 'messages'))
    return refused(
      403,
      'forbidden',
      'this API key lacks the "messages" scope; create a key with --scope messages',
    );
  if (!(await deps.connections.open(event.connectionId, principal)))
    return refused(
      429,
      'too_many_connections',
      "this key's tenant holds too many open WebSocket connections; close some first",
    );
  return { statusCode: 200 };
}

/**
 * A client's frame, or the error frame that answers it (bad JSON, an unknown action, a wrong
 * field: each named, with the frames to send instead). The local stack's /v1/ws parses alike.
 *
 * @example
 * const frame = parseFrame('{"action":"subscribe","jobId":"j1"}'); // { action: 'subscribe', jobId: 'j1', after: 0 }
 */
export function parseFrame(text: string): ClientFrame | Extract<ServerFrame, { type: 'error' }> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return failure(400, 'invalid_json', 'a frame is one JSON object: {"action":"message"|"subscribe", …}');
  }
  const parsed = clientFrameSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const ref = (json as { ref?: unknown } | null)?.ref;
  const details = parsed.error.issues.map((i) => ({
    path: ['frame', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  const listed = details.map((d) => `${d.path}: ${d.message}`).join('; ');
  return {
    type: 'error',
    status: 400,
    ...(typeof ref === 'string' ? { ref: ref.slice(0, 100) } : {}),
    error: {
      code: 'invalid_request',
      message: `invalid frame: ${listed}; send {"action":"message","agent":"<id>","body":{"text":"…"}} or {"action":"subscribe","jobId":"<id>"}`,
      details,
    },
  };
}

/** Queues the message through the API app, as this connection's key; returns the job id. */
async function send(frame: Extract<ClientFrame, { action: 'message' }>, connectionId: string, deps: WsDeps) {
  const response = await deps.fetch(
    new Request(`https://ws.internal/v1/agents/${frame.agent}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deps.token(connectionId)}`, 'content-type': 'application/json' },
      body: JSON.stringify(frame.body),
    }),
  );
  const answer = (await response.json()) as { jobId?: string; error?: { code: string; message: string } };
  if (!answer.jobId) {
    throw new ApiError(
      response.status as 400,
      answer.error?.code ?? 'refused',
      answer.error?.message ?? 'the message was refused',
    );
  }
  return answer.jobId;
}

/** Subscribes, answers, then sends what is stored already (the runner pushes what follows). */
async function follow(connectionId: string, jobId: string, frame: ClientFrame, deps: WsDeps): Promise<void> {
  if (!(await deps.connections.subscribe(connectionId, jobId))) {
    throw new ApiError(
      429,
      'too_many_subscriptions',
      'this connection follows too many jobs; open another connection or wait for one to end',
    );
  }
  const ref = frame.ref ? { ref: frame.ref } : {};
  const after = frame.action === 'subscribe' ? frame.after : 0;
  const answer: ServerFrame =
    frame.action === 'message'
      ? { type: 'queued', ...ref, jobId }
      : { type: 'subscribed', ...ref, jobId, after };
  const { events, ended } = await nextEvents(deps.source, jobId, after);
  const frames = mergeDeltas(events.map((e) => eventFrame(jobId, e))).map((f) => ({
    type: 'event' as const,
    ...f,
  }));
  await pushFrames(deps, [connectionId], [answer, ...frames]);
  if (ended) await deps.connections.unsubscribeTurn(jobId);
}

function failure(status: number, code: string, message: string): Extract<ServerFrame, { type: 'error' }> {
  return { type: 'error', status, error: { code, message } };
}

function refused(statusCode: number, code: string, message: string): WsResult {
  return { statusCode, body: JSON.stringify({ error: { code, message } }) };
}
