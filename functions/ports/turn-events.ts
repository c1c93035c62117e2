/** What a turn's event says happened; see migration 0045 for each kind's data. */
export type TurnEventKind = 'delta' | 'tool_start' | 'tool_end' | 'done' | 'error';

export const TURN_EVENT_KINDS: readonly TurnEventKind[] = [
  'delta',
  'tool_start',
  'tool_end',
  'done',
  'error',
];

/** One event as the runner numbers it: `seq` orders every event of the turn, across attempts. */
export interface NewTurnEvent {
  seq: number;
  kind: TurnEventKind;
  data: Record<string, unknown>;
}

/** A stored event: which attempt wrote it and when. */
export interface TurnEvent extends NewTurnEvent {
  attempt: number;
  /** ISO time it was stored. */
  at: string;
}

/** `done` and a final `error` end a turn's stream: nothing follows them. */
export function endsStream(event: Pick<NewTurnEvent, 'kind' | 'data'>): boolean {
  return event.kind === 'done' || (event.kind === 'error' && event.data.final === true);
}

/**
 * The `turn_events` table: the runner appends, every live reader reads after a seq.
 * Implemented by adapters/store/turn-events.ts (SQL) and test/fakes/in-memory-turn-events.ts.
 */
export interface TurnEventRepository {
  /**
   * Appends events of attempt `attempt` (fenced: TurnFencedError when a later claim holds the
   * turn). A seq already stored is left as it was. Returns how many were written.
   */
  append(turnId: string, attempt: number, events: NewTurnEvent[]): Promise<number>;
  /** Events with seq above `after`, oldest first, at most `limit` (default 500, at most 1,000). */
  after(turnId: string, after: number, limit?: number): Promise<TurnEvent[]>;
  /** The last seq stored for the turn; 0 when none. */
  lastSeq(turnId: string): Promise<number>;
}
