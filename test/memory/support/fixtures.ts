import { afterAll, beforeAll } from 'vitest';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import type { CompletedTurn } from '#core/ports/memory.ts';
import { migratedStore } from '#test/runner/support/store.ts';

/** One migrated in-memory PGlite for the calling test file, opened before and closed after it. */
export function useMigratedStore(): () => PgliteStore {
  let store: PgliteStore | undefined;
  beforeAll(async () => {
    store = await migratedStore();
  }, 60_000);
  afterAll(async () => {
    await store?.close();
  });
  return () => {
    if (!store) throw new Error('the store opens in beforeAll');
    return store;
  };
}

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
