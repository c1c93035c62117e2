import { z } from 'zod';
import { eventFrameSchema, type EventFrame } from './event-frames.ts';

/** Where the API serves the frames' JSON Schema (OpenAPI points there too). */
export const LIVE_FRAMES_PATH = '/v1/live-frames.schema.json';

const ref = z.string().max(100).optional().describe('echoed on the answers to this frame');

/** What a WebSocket client sends (the deployed API routes on `action`; the local stack alike). */
export const clientFrameSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('message'),
    agent: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i, 'an agent id from GET /v1/agents'),
    body: z.record(z.string(), z.unknown()).describe('the body of POST /v1/agents/{agent}/messages'),
    ref,
  }),
  z.strictObject({
    action: z.literal('subscribe'),
    jobId: z.string().min(1).max(200).describe("a job of this key's tenant"),
    after: z.number().int().min(0).default(0).describe('send only the events after this seq'),
    ref,
  }),
]);
export type ClientFrame = z.output<typeof clientFrameSchema>;

const errorObject = z.object({
  code: z.string(),
  message: z.string().describe('what was wrong and how to fix it'),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** What the server sends on a WebSocket: answers to the client's frames, then the job's events. */
export const serverFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('queued'), ref, jobId: z.string() }),
  z.object({ type: z.literal('subscribed'), ref, jobId: z.string(), after: z.number().int().min(0) }),
  eventFrameSchema.extend({ type: z.literal('event') }),
  z.object({
    type: z.literal('error'),
    ref,
    status: z.number().int().optional().describe('the HTTP status the same request would get'),
    error: errorObject,
  }),
]);
export type ServerFrame = z.output<typeof serverFrameSchema>;

/**
 * The frames as one JSON Schema document (draft 2020-12), served at /v1/live-frames.schema.json
 * beside /v1/openapi.json. The file shipped in the repository (functions/api/live-frames.schema.json)
 * is this; test/api/live-frames-schema.test.ts fails when the two differ.
 */
export function liveFramesJsonSchema(): Record<string, unknown> {
  const schema = (s: z.ZodType, io: 'input' | 'output') => {
    const { $schema: _, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    return rest;
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Carrier live frames',
    description:
      'WebSocket frames (/v1/ws locally, the WebSocket API deployed) and the event frame of SSE data and long-poll events[]',
    $defs: {
      ClientFrame: schema(clientFrameSchema, 'input'),
      ServerFrame: schema(serverFrameSchema, 'output'),
      EventFrame: schema(eventFrameSchema, 'output'),
    },
  };
}

/**
 * Consecutive deltas of one attempt as one frame (their text joined, the last one's seq), so a
 * pushed batch costs one frame per run of deltas: resuming after that seq loses nothing.
 *
 * @example
 * mergeDeltas([{ seq: 1, kind: 'delta', data: { text: 'Hel' } }, { seq: 2, kind: 'delta', data: { text: 'lo' } }]);
 * // one delta frame: seq 2, text 'Hello'
 */
export function mergeDeltas(frames: EventFrame[]): EventFrame[] {
  const merged: EventFrame[] = [];
  for (const frame of frames) {
    const last = merged.at(-1);
    if (last?.kind === 'delta' && frame.kind === 'delta' && last.attempt === frame.attempt) {
      merged[merged.length - 1] = {
        ...frame,
        data: { text: String(last.data.text ?? '') + String(frame.data.text ?? '') },
      };
    } else merged.push(frame);
  }
  return merged;
}
