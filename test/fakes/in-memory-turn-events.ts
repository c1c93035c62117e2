import type { NewTurnEvent, TurnEvent, TurnEventRepository } from '#core/ports/turn-events.ts';
import { TurnFencedError } from '#core/ports/turns.ts';
import { asJsonb } from './store-clock.ts';

/**
 * Turn events in a Map with the semantics of migration 0045: appends fenced by the turn's
 * attempt (read from the in-memory turns), a seq stored once, reads in seq order.
 * test/store/turn-events-contract.test.ts holds it to the SQL functions.
 *
 * @example
 * const turns = new InMemoryTurnRepository();
 * const events = new InMemoryTurnEvents({ attemptsOf: (id) => turns.attemptsOf(id) });
 */
export class InMemoryTurnEvents implements TurnEventRepository {
  private readonly events = new Map<string, Map<number, TurnEvent>>();
  /** Every append call, as a count of round trips (the bench's and tests' "writes"). */
  appends = 0;

  constructor(private readonly turns: { attemptsOf(id: string): number | undefined }) {}

  async append(turnId: string, attempt: number, events: NewTurnEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    this.appends++;
    if (this.turns.attemptsOf(turnId) !== attempt)
      throw new TurnFencedError(turnId, attempt, 'events_append');
    const stored = this.events.get(turnId) ?? new Map<number, TurnEvent>();
    this.events.set(turnId, stored);
    let written = 0;
    for (const e of events) {
      if (stored.has(e.seq)) continue;
      stored.set(e.seq, { ...asJsonb(e), attempt, at: new Date().toISOString() });
      written++;
    }
    return written;
  }

  async after(turnId: string, after: number, limit = 500): Promise<TurnEvent[]> {
    const all = [...(this.events.get(turnId)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
    return all
      .filter((e) => e.seq > after)
      .slice(0, Math.max(1, Math.min(limit, 1000)))
      .map((e) => asJsonb(e));
  }

  async lastSeq(turnId: string): Promise<number> {
    return Math.max(0, ...(this.events.get(turnId)?.keys() ?? []));
  }
}
