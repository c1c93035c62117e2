import type { TurnStreamEvent } from '../agents/streamed-run.ts';
import type { Log } from '../ports/log.ts';
import type { NewTurnEvent, TurnEventRepository } from '../ports/turn-events.ts';
import type { TurnRequest } from '../ports/turn-request.ts';
import { TurnEventRecorder } from './event-recorder.ts';

/** A reader of a turn as it is written, in this process (Discord edits, WebSocket pushes). */
export interface LiveSink {
  event(event: NewTurnEvent): void;
  /**
   * Each batch once it is stored, in order: a reader that pushes elsewhere sends only what a
   * late subscriber can also read back from the table, so nothing falls between the two.
   */
  stored?(events: NewTurnEvent[]): void;
  /** Waits for what the sink still sends: called once the turn's last event is out. */
  close(): Promise<void>;
}

export interface LiveDeps {
  events: TurnEventRepository;
  /** The sinks that follow this request live; none by default. */
  liveSinks?: (request: TurnRequest, attempt: number) => Promise<LiveSink[]> | LiveSink[];
  flushIntervalMs?: number;
  log?: Log;
}

/** What the runner tells a live turn: each stream event, then how the attempt ended. */
export interface LiveTurn {
  onEvent(event: TurnStreamEvent): void;
  done(text: string): Promise<void>;
  failed(final: boolean): Promise<void>;
  /** Round trips spent on events so far. */
  readonly writes: number;
}

/** What an API client is told when an attempt fails: never the internal reason. */
export const RETRYING = 'this attempt failed; the turn is tried again and its text starts over';

/**
 * Opens the live side of one attempt: the event recorder (the stored stream every reader
 * follows) and the in-process sinks, fed the same numbered events. `known.lastSeq` is the
 * turn's last stored seq when the caller knows it (see RecorderOptions.lastSeq).
 *
 * @example
 * const live = await openLiveTurn(request, 1, { events });
 * await runTurn(input, { ...deps, onEvent: (e) => live.onEvent(e) });
 * await live.done(reply);
 */
export async function openLiveTurn(
  request: TurnRequest,
  attempt: number,
  deps: LiveDeps,
  known: { lastSeq?: number } = {},
): Promise<LiveTurn> {
  const sinks = (await deps.liveSinks?.(request, attempt)) ?? [];
  const recorder = await TurnEventRecorder.open(deps.events, request.id, attempt, {
    ...known,
    onEvent: (event) => sinks.forEach((sink) => sink.event(event)),
    onStored: (events) => sinks.forEach((sink) => sink.stored?.(events)),
    ...(deps.flushIntervalMs !== undefined ? { flushIntervalMs: deps.flushIntervalMs } : {}),
    ...(deps.log ? { log: deps.log } : {}),
  });
  const end = async () => {
    await recorder.close();
    await Promise.all(sinks.map((sink) => sink.close().catch(() => undefined)));
  };
  return {
    onEvent(event) {
      if (event.kind === 'delta') recorder.emit('delta', { text: event.text });
      else recorder.emit(event.kind, { name: event.name });
    },
    async done(text) {
      recorder.emit('done', { text });
      await end();
    },
    async failed(final) {
      recorder.emit('error', { message: final ? 'the turn failed' : RETRYING, final });
      await end();
    },
    get writes() {
      return recorder.writes;
    },
  };
}
