import type { SqlStore } from '../../ports/sql.ts';
import type { NewTurnEvent, TurnEvent, TurnEventKind, TurnEventRepository } from '../../ports/turn-events.ts';
import { TurnFencedError } from '../../ports/turns.ts';

interface EventRow {
  seq: number;
  attempt: number;
  kind: TurnEventKind;
  data: Record<string, unknown>;
  created_at: Date | string;
}

/**
 * A turn's events through the SQL functions of migration 0045: one round trip per call, so a
 * batch of events costs one write.
 *
 * @example
 * const events = new SqlTurnEventRepository(store);
 * await events.append('t1', 1, [{ seq: 1, kind: 'delta', data: { text: 'Hi' } }]);
 */
export class SqlTurnEventRepository implements TurnEventRepository {
  constructor(private readonly store: SqlStore) {}

  async append(turnId: string, attempt: number, events: NewTurnEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const [row] = await this.store.rpc<{ appended: number }>('turn_events_append', {
      p_turn_id: turnId,
      p_attempt: attempt,
      p_events: events.map(({ seq, kind, data }) => ({ seq, kind, data })),
    });
    const appended = row?.appended ?? -1;
    if (appended < 0) throw new TurnFencedError(turnId, attempt, 'events_append');
    return appended;
  }

  async after(turnId: string, after: number, limit = 500): Promise<TurnEvent[]> {
    const rows = await this.store.rpc<EventRow>('turn_events_after', {
      p_turn_id: turnId,
      p_after: after,
      p_limit: limit,
    });
    return rows.map((r) => ({
      seq: r.seq,
      attempt: r.attempt,
      kind: r.kind,
      data: r.data,
      at: new Date(r.created_at).toISOString(),
    }));
  }

  async lastSeq(turnId: string): Promise<number> {
    const [row] = await this.store.rpc<{ seq: number }>('turn_events_last_seq', { p_turn_id: turnId });
    return row?.seq ?? 0;
  }
}
