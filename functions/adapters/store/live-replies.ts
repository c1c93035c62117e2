import type { LiveReplyRepository } from '../../ports/live-replies.ts';
import type { SqlStore } from '../../ports/sql.ts';

/**
 * A live reply's follow-up ids through the SQL functions of migration 0046.
 *
 * @example
 * await new SqlLiveReplyRepository(store).addFollowup('t1', 0, '1234');
 */
export class SqlLiveReplyRepository implements LiveReplyRepository {
  constructor(private readonly store: SqlStore) {}

  async followups(turnId: string): Promise<string[]> {
    const [row] = await this.store.rpc<{ followups: string[] }>('live_reply_followups', {
      p_turn_id: turnId,
    });
    return row?.followups ?? [];
  }

  async addFollowup(turnId: string, index: number, messageId: string): Promise<string[]> {
    const [row] = await this.store.rpc<{ followups: string[] }>('live_reply_add_followup', {
      p_turn_id: turnId,
      p_index: index,
      p_message_id: messageId,
    });
    return row?.followups ?? [];
  }
}
