import type { LiveReplyRepository } from '#core/ports/live-replies.ts';

/**
 * Live replies' follow-up ids in a Map, with the semantics of migration 0046 (held to them by
 * test/store/live-replies-contract.test.ts).
 */
export class InMemoryLiveReplies implements LiveReplyRepository {
  private readonly ids = new Map<string, string[]>();

  async followups(turnId: string): Promise<string[]> {
    return [...(this.ids.get(turnId) ?? [])];
  }

  async addFollowup(turnId: string, index: number, messageId: string): Promise<string[]> {
    const list = this.ids.get(turnId) ?? [];
    if (index > list.length) {
      throw new Error(
        `live_reply_add_followup: follow-up ${index} of turn ${turnId} comes after a missing one`,
      );
    }
    if (index === list.length) list.push(messageId);
    this.ids.set(turnId, list);
    return [...list];
  }
}
