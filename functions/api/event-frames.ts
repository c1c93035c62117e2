import { z } from 'zod';
import { TURN_EVENT_KINDS, type TurnEvent } from '../ports/turn-events.ts';

/** One turn event as every live API sends it: SSE `data`, long-poll `events[]`, WebSocket `event` frames. */
export const eventFrameSchema = z.object({
  jobId: z.string(),
  seq: z.number().int().min(1).describe('orders every event of the job; resume after it'),
  attempt: z.number().int().min(1).describe('a delta of a new attempt starts the text over'),
  kind: z.enum(TURN_EVENT_KINDS as [string, ...string[]]),
  data: z
    .record(z.string(), z.unknown())
    .describe(
      'delta {text}; tool_start/tool_end {name}; done {text}: the whole reply; error {message, final}',
    ),
  at: z.string().describe('ISO time the event was stored'),
});

export type EventFrame = z.output<typeof eventFrameSchema>;

/** The long-poll answer of GET /v1/jobs/{id}/events?after=<seq>. */
export const eventPageSchema = z.object({
  jobId: z.string(),
  events: z.array(eventFrameSchema),
  next: z.number().int().describe('pass as ?after= for the next page'),
  done: z.boolean().describe('true once the stream has ended (done or a final error)'),
});

/** A stored event as a frame for job `jobId`. */
export function eventFrame(jobId: string, event: TurnEvent): EventFrame {
  return { jobId, seq: event.seq, attempt: event.attempt, kind: event.kind, data: event.data, at: event.at };
}
