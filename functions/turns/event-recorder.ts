import type { Log } from '../ports/log.ts';
import type { NewTurnEvent, TurnEventKind, TurnEventRepository } from '../ports/turn-events.ts';
import { TurnFencedError } from '../ports/turns.ts';

/** Deltas are written at most this often; tool events and the end are written at once. */
export const EVENT_FLUSH_INTERVAL_MS = 250;

/**
 * How long the first deltas wait for company: a reply done within it (a zero-latency or offline
 * model) costs one write, while a streaming model's first words reach readers elsewhere (the
 * WebSocket push, the event stream) this much later at most, not a whole interval.
 */
export const FIRST_BATCH_MS = 20;

export interface RecorderOptions {
  /** Default 250 ms: a streamed turn costs at most ~4 writes a second plus one per tool event and the end. */
  flushIntervalMs?: number;
  /**
   * The turn's last stored seq when the caller knows it: 0 on a turn's first attempt, since
   * events are written only by the attempt that holds the turn. Saves `open` its read.
   */
  lastSeq?: number;
  /** Called with each event as it is numbered, before it is stored (live readers in this process). */
  onEvent?: (event: NewTurnEvent) => void;
  /** Called with each batch once it is stored, in order (pushes to readers elsewhere). */
  onStored?: (events: NewTurnEvent[]) => void;
  now?: () => number;
  log?: Log;
}

/**
 * Numbers a turn's events and appends them in batches: one write for what arrived within a
 * flush interval (the first batch after FIRST_BATCH_MS, so a reply that is done by then costs
 * one write), one write in flight at a time, tool events and `done`/`error` flushed at once.
 * A failed write is retried with the next batch; a fenced one (a later attempt took the turn)
 * stops recording. Recording never fails the turn: readers fall back to the turn row.
 *
 * @example
 * const recorder = await TurnEventRecorder.open(events, 't1', 1);
 * recorder.emit('delta', { text: 'Hi' });
 * await recorder.close();
 */
export class TurnEventRecorder {
  /** Round trips made so far (the bench's "DB writes per streamed turn"). */
  writes = 0;
  private buffer: NewTurnEvent[] = [];
  private inflight: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlushAt: number;
  private urgent = false;
  private stopped = false;
  private failures = 0;
  private readonly interval: number;
  private readonly now: () => number;

  private constructor(
    private readonly events: TurnEventRepository,
    private readonly turnId: string,
    private readonly attempt: number,
    private seq: number,
    private readonly options: RecorderOptions,
  ) {
    this.interval = options.flushIntervalMs ?? EVENT_FLUSH_INTERVAL_MS;
    this.now = options.now ?? Date.now;
    // As if the last write was an interval ago less FIRST_BATCH_MS: the first batch waits that long.
    this.lastFlushAt = this.now() - this.interval + Math.min(FIRST_BATCH_MS, this.interval);
  }

  /** Starts numbering after the turn's last stored event (one read, unless `options.lastSeq`). */
  static async open(
    events: TurnEventRepository,
    turnId: string,
    attempt: number,
    options: RecorderOptions = {},
  ): Promise<TurnEventRecorder> {
    const seq = options.lastSeq ?? (await events.lastSeq(turnId));
    return new TurnEventRecorder(events, turnId, attempt, seq, options);
  }

  emit(kind: TurnEventKind, data: Record<string, unknown>): NewTurnEvent {
    const event: NewTurnEvent = { seq: ++this.seq, kind, data };
    this.tell(() => this.options.onEvent?.(event), 'a live reader failed on a turn event');
    if (this.stopped) return event;
    this.buffer.push(event);
    if (kind !== 'delta') this.urgent = true;
    this.schedule();
    return event;
  }

  /** Writes what is buffered and waits for it (a failing store gets two more tries). */
  async close(): Promise<void> {
    this.urgent = true;
    for (let tries = 0; tries < 3 && !this.stopped; tries++) {
      this.schedule();
      while (this.inflight) await this.inflight;
      if (this.buffer.length === 0) break;
      this.urgent = true;
    }
    clearTimeout(this.timer);
    this.stopped = true;
  }

  private schedule(): void {
    if (this.inflight || this.buffer.length === 0 || this.stopped) return;
    const wait = this.urgent ? 0 : Math.max(0, this.lastFlushAt + this.interval - this.now());
    if (wait > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    this.urgent = false;
    this.lastFlushAt = this.now();
    this.writes++;
    this.inflight = this.events
      .append(this.turnId, this.attempt, batch)
      .then(
        () => {
          this.failures = 0;
          this.tell(() => this.options.onStored?.(batch), 'a live reader failed on stored turn events');
        },
        (error: unknown) => this.failed(error, batch),
      )
      .finally(() => {
        this.inflight = undefined;
        this.schedule();
      });
  }

  /** A live reader's failure is logged, never the turn's. */
  private tell(reader: () => void, message: string): void {
    try {
      reader();
    } catch (error) {
      this.options.log?.warn(message, { turnId: this.turnId, reason: String(error) });
    }
  }

  private failed(error: unknown, batch: NewTurnEvent[]): void {
    if (error instanceof TurnFencedError || ++this.failures > 3) {
      this.stopped = true;
      this.buffer = [];
      this.options.log?.warn('turn events no longer recorded', {
        turnId: this.turnId,
        reason: String(error),
      });
      return;
    }
    this.buffer = [...batch, ...this.buffer];
  }
}
