import { RESTEvents, type APIRequest, type REST, type ResponseLike } from '@discordjs/rest';
import { liveMessages } from '../../discord/live-text.ts';
import type { NewTurnEvent } from '../../ports/turn-events.ts';
import type { LiveSink } from '../../turns/live-turn.ts';

/** Time as the editor sees it; tests pass a virtual one. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: Date.now,
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    }),
};

/** At most one edit this often, whatever the headers allow; Discord's own pace is ~5 per 5 s. */
export const MIN_EDIT_INTERVAL_MS = 1200;
/** The first edit waits for a sentence, or this long. */
export const FIRST_EDIT_WAIT_MS = 1000;

export interface LiveEditorOptions {
  rest: REST;
  clock: Clock;
  /** The interaction token: the edit route's responses are told apart by it. */
  token: string;
  /** Makes the reply's messages read these (edits only what changed). */
  write(messages: string[]): Promise<void>;
}

/**
 * Follows one turn's events and edits its Discord reply as the text grows: one edit in flight at
 * a time, the first as soon as a sentence has ended (or a second has passed), then one about
 * every 1.2–1.5 s: the interval the edit route's rate-limit headers leave (the window's reset
 * over the requests remaining), never under 1.2 s, so the bucket is never exhausted. A delta of
 * a new attempt starts the text over. `done` and `error` stop it: the final edit is the
 * delivery's.
 */
export class LiveEditor implements LiveSink {
  /** Edits made so far (the bench reads the first one's time). */
  edits = 0;
  /** The write in flight, if any (tests wait for it). */
  writing: Promise<void> | undefined;
  private text = '';
  private tools = 0;
  private wake: AbortController | undefined;
  private readonly started: number;
  private nextAt: number;
  private running: Promise<void> | undefined;
  private readonly stop = new AbortController();
  private readonly onResponse: (request: APIRequest, response: ResponseLike) => void;

  constructor(private readonly options: LiveEditorOptions) {
    this.started = options.clock.now();
    this.nextAt = this.started;
    this.onResponse = (request, response) => {
      if (request.method === 'PATCH' && request.path.includes(options.token)) this.pace(response);
    };
    options.rest.on(RESTEvents.Response, this.onResponse);
  }

  event(event: NewTurnEvent): void {
    if (this.stop.signal.aborted) return;
    if (event.kind === 'done' || event.kind === 'error') return void this.stop.abort();
    if (event.kind === 'delta') this.text += String(event.data.text ?? '');
    else if (event.kind === 'tool_start') this.tools++;
    else if (event.kind === 'tool_end') {
      this.tools = Math.max(0, this.tools - 1);
      // The model answers afresh after a tool: its next text replaces what came before.
      this.text = '';
    }
    // The first edit goes as soon as a sentence has ended.
    if (this.edits === 0 && this.messages().length > 0) this.wake?.abort();
    this.kick();
  }

  /** Waits until the pace allows the next edit (the delivery's last one). */
  async ready(): Promise<void> {
    await this.options.clock.sleep(this.nextAt - this.options.clock.now());
  }

  async close(): Promise<void> {
    this.stop.abort();
    this.options.rest.off(RESTEvents.Response, this.onResponse);
    await this.running;
  }

  private kick(): void {
    if (this.running || this.stop.signal.aborted) return;
    this.running = this.cycle()
      .catch(() => undefined) // a failed live edit is not fatal: the delivery's last edit decides
      .finally(() => {
        this.running = undefined;
        if (this.pending().length > 0) this.kick();
      });
  }

  private async cycle(): Promise<void> {
    const { clock } = this.options;
    if (this.edits === 0 && this.messages().length === 0) {
      this.wake = new AbortController();
      const signal = AbortSignal.any([this.stop.signal, this.wake.signal]);
      await clock.sleep(this.started + FIRST_EDIT_WAIT_MS - clock.now(), signal);
    } else {
      await clock.sleep(this.nextAt - clock.now(), this.stop.signal);
    }
    if (this.stop.signal.aborted) return;
    const messages = this.pending();
    if (messages.length === 0) return;
    this.nextAt = clock.now() + MIN_EDIT_INTERVAL_MS;
    this.edits++;
    this.last = messages;
    this.writing = this.options.write(messages);
    try {
      await this.writing;
    } finally {
      this.writing = undefined;
    }
  }

  private last: string[] = [];

  private messages(words = false): string[] {
    return liveMessages(this.text, { tool: this.tools > 0, words });
  }

  /** The messages to write now, or none when they read as the last write did. */
  private pending(): string[] {
    const quiet = this.options.clock.now() - this.started >= FIRST_EDIT_WAIT_MS;
    const messages = this.messages(this.edits === 0 && quiet);
    const same = messages.length === this.last.length && messages.every((m, i) => m === this.last[i]);
    return same ? [] : messages;
  }

  /** Spreads the window's remaining requests over its reset time. */
  private pace(response: ResponseLike): void {
    const remaining = Number(response.headers.get('x-ratelimit-remaining'));
    const resetAfter = Number(response.headers.get('x-ratelimit-reset-after')) * 1000;
    if (!Number.isFinite(remaining) || !Number.isFinite(resetAfter)) return;
    const spread = remaining > 0 ? resetAfter / remaining : resetAfter;
    this.nextAt = Math.max(this.nextAt, this.options.clock.now() + Math.max(MIN_EDIT_INTERVAL_MS, spread));
  }
}
