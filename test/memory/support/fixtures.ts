import type { CompletedTurn } from '#core/ports/memory.ts';

/** A finished exchange of Sam (u1) with ada in c1. */
export function completedTurn(
  turnId: string,
  userText: string,
  extra: Partial<CompletedTurn> = {},
): CompletedTurn {
  return {
    turnId,
    agentId: 'ada',
    userId: 'u1',
    userName: 'Sam',
    roomId: 'c1',
    userText,
    replyText: 'Noted.',
    at: '2025-01-01T00:00:00Z',
    ...extra,
  };
}
