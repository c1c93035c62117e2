import { turnRequestSchema, type TurnRequest, type TurnRequestInput } from '#core/ports/turn-request.ts';

let counter = 0;

/** A valid TurnRequest for ada with a fresh id; override any field. */
export function turnRequest(overrides: Partial<TurnRequestInput> = {}): TurnRequest {
  counter++;
  return turnRequestSchema.parse({
    id: `req-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    character: 'ada',
    conversation: 'room-1',
    user: { id: 'u1', name: 'Sam' },
    text: `message ${counter}`,
    source: 'api',
    reply: { kind: 'none' },
    receivedAt: new Date().toISOString(),
    ...overrides,
  });
}
