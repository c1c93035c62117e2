import type { TurnRepository } from '#core/ports/turns.ts';
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

/**
 * A fresh API job claimed `times` times: every earlier claim's lease already over (lease 0),
 * the last one holding `lastLeaseSeconds`. Returns its id.
 */
export async function claimedJob(
  turns: TurnRepository,
  times: number,
  lastLeaseSeconds = 0,
): Promise<string> {
  const request = turnRequest();
  await turns.createJob(request, { apiKeyId: 'key-1', tenant: 'key-1' });
  for (let i = 1; i <= times; i++)
    await turns.claim(request, { leaseSeconds: i === times ? lastLeaseSeconds : 0 });
  return request.id;
}
