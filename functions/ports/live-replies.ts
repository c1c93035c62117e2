/**
 * The follow-up messages a live Discord reply has posted, by id, so a redelivered or retried
 * turn edits them instead of posting again. Implemented by adapters/store/live-replies.ts (SQL)
 * and test/fakes/in-memory-live-replies.ts.
 */
export interface LiveReplyRepository {
  /** The follow-up ids of the turn's reply in order (the first is the message after @original). */
  followups(turnId: string): Promise<string[]>;
  /** Records follow-up `index`; an index already recorded keeps its id. Returns the ids after it. */
  addFollowup(turnId: string, index: number, messageId: string): Promise<string[]>;
}
