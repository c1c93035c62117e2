import { beforeEach, describe, expect, it } from 'vitest';
import { SqlLiveReplyRepository } from '#core/adapters/store/live-replies.ts';
import { SqlTurnRepository } from '#core/adapters/store/turns.ts';
import type { LiveReplyRepository } from '#core/ports/live-replies.ts';
import { InMemoryLiveReplies } from '#test/fakes/in-memory-live-replies.ts';
import { turnRequest } from '#test/runner/support/requests.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();

describe.each(['in-memory', ...SQL_ADAPTERS] as const)('live replies store contract: %s', (name) => {
  let replies: LiveReplyRepository;
  let turnId: string;
  beforeEach(async () => {
    const request = turnRequest({ source: 'discord' });
    turnId = request.id;
    if (name === 'in-memory') {
      replies = new InMemoryLiveReplies();
      return;
    }
    await stores().reset();
    await new SqlTurnRepository(stores().adapters[name]).claim(request, { leaseSeconds: 60 });
    replies = new SqlLiveReplyRepository(stores().adapters[name]);
  });

  it('keeps follow-up ids in order, each index once', async () => {
    expect(await replies.followups(turnId)).toEqual([]);
    expect(await replies.addFollowup(turnId, 0, '111')).toEqual(['111']);
    expect(await replies.addFollowup(turnId, 1, '222')).toEqual(['111', '222']);
    expect(await replies.addFollowup(turnId, 0, '999')).toEqual(['111', '222']);
    expect(await replies.followups(turnId)).toEqual(['111', '222']);
  });

  it('refuses a follow-up that skips one', async () => {
    await expect(replies.addFollowup(turnId, 2, '333')).rejects.toThrow(/missing one/);
    expect(await replies.followups(turnId)).toEqual([]);
  });
});
