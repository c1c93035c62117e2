import { abortableDelay } from '../abortable-delay.ts';
import { endsStream, type TurnEvent, type TurnEventRepository } from '../ports/turn-events.ts';
import type { TurnRepository, TurnRow } from '../ports/turns.ts';

export interface EventSource {
  events: TurnEventRepository;
  turns: Pick<TurnRepository, 'get'>;
}

export interface FollowOptions {
  /** How often the table is read while nothing new is there. Default 250 ms. */
  pollMs?: number;
  /** Stop following (client gone, time up). */
  signal?: AbortSignal;
}

/**
 * What is there after seq `after` right now: the stored events (up to the one that ends the
 * stream), and `ended` once the stream is over. A turn that finished without its last event
 * stored (the runner crashed between the reply and the event) ends with one made from the row,
 * so a reader never waits forever.
 *
 * @example
 * const { events, ended } = await nextEvents({ events, turns }, jobId, 0);
 */
export async function nextEvents(
  source: EventSource,
  turnId: string,
  after: number,
): Promise<{ events: TurnEvent[]; ended: boolean }> {
  const batch = await source.events.after(turnId, after);
  const end = batch.findIndex(endsStream);
  if (end !== -1) return { events: batch.slice(0, end + 1), ended: true };
  if (batch.length > 0) return { events: batch, ended: false };
  const row = await source.turns.get(turnId);
  const last = row && endFromRow(row, after + 1);
  // Read once more: the last event may have landed between the two reads.
  if (!last) return { events: [], ended: false };
  const late = await source.events.after(turnId, after);
  return late.length > 0 ? nextEvents(source, turnId, after) : { events: [last], ended: true };
}

/**
 * A turn's events after seq `after` as they are stored, until the stream ends or `signal` aborts.
 *
 * @example
 * for await (const event of followEvents({ events, turns }, jobId, 0)) send(event);
 */
export async function* followEvents(
  source: EventSource,
  turnId: string,
  after: number,
  options: FollowOptions = {},
): AsyncGenerator<TurnEvent> {
  let seq = after;
  while (!options.signal?.aborted) {
    const { events, ended } = await nextEvents(source, turnId, seq);
    for (const event of events) yield event;
    if (ended) return;
    seq = events.at(-1)?.seq ?? seq;
    if (events.length === 0) await pause(options.pollMs ?? 250, options.signal);
  }
}

/** The event that ends the stream of a finished turn, made from its row; undefined while it runs. */
export function endFromRow(row: TurnRow, seq: number): TurnEvent | undefined {
  const at = new Date(row.updated_at).toISOString();
  if ((row.status === 'answered' || row.status === 'done') && row.result) {
    return { seq, attempt: row.attempts, kind: 'done', data: { text: row.result.reply }, at };
  }
  if (row.status === 'failed') {
    return {
      seq,
      attempt: row.attempts,
      kind: 'error',
      data: { message: 'the turn failed', final: true },
      at,
    };
  }
  return undefined;
}

/** Resolves after `ms`, or at once when `signal` aborts (leaving no listener on it). */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  await abortableDelay(ms, signal).catch(() => undefined);
}
