import type { TurnQueue } from '../../ports/queue.ts';
import type { TurnRequest } from '../../ports/turn-request.ts';
import { LocalTurnQueue, type BatchHandler, type DeadLetter, type LocalQueueOptions } from './local-queue.ts';

/** Which line of work a turn waits in: Discord's (15-minute tokens) or the API's. */
export type TurnLane = 'discord' | 'api';

/**
 * The local model of the deployed turn queues: Discord turns and API turns each have a FIFO
 * queue of their own, with its own runner concurrency, so a flood of API messages waits in the
 * API queue while Discord replies keep being answered (deployed: two SQS FIFO queues, each with
 * its own event source and maximum concurrency). Messages that fail every delivery move, as on
 * SQS, to a dead-letter queue whose consumer settles them. As a TurnQueue it sends each request
 * to its lane by `source`; producers that know their lane use `discord` or `api` directly.
 *
 * @example
 * const queues = new LocalTurnQueues({ discord: { concurrency: 2 }, api: { concurrency: 1 } });
 * queues.start(createRunnerHandler(deps), createDeadLetterHandler(deadLetterDeps));
 */
export class LocalTurnQueues implements TurnQueue {
  readonly discord: LocalTurnQueue;
  readonly api: LocalTurnQueue;
  /** Both lanes' dead letters, consumed like the deployed dead-letter queues. */
  readonly deadLetterQueue: LocalTurnQueue;

  constructor(
    options: { discord?: LocalQueueOptions; api?: LocalQueueOptions; deadLetters?: LocalQueueOptions } = {},
  ) {
    // SQS keeps a dead letter for its retention; a consumer that keeps failing retries until then.
    this.deadLetterQueue = new LocalTurnQueue({ maxReceiveCount: 1000, ...options.deadLetters });
    const lane = (given: LocalQueueOptions | undefined): LocalQueueOptions => ({
      ...given,
      onDeadLetter: (letter) => {
        given?.onDeadLetter?.(letter);
        this.deadLetterQueue.send(letter.body, letter.group, letter.messageId);
      },
    });
    this.discord = new LocalTurnQueue(lane(options.discord));
    this.api = new LocalTurnQueue(lane(options.api));
  }

  /** The lane a request belongs in: API jobs in the API queue, everything else with Discord. */
  static laneOf(request: Pick<TurnRequest, 'source'>): TurnLane {
    return request.source === 'api' ? 'api' : 'discord';
  }

  async enqueue(request: TurnRequest): Promise<void> {
    await this[LocalTurnQueues.laneOf(request)].enqueue(request);
  }

  /** `runner` answers both lanes; `deadLetters` settles what failed every delivery. */
  start(runner: BatchHandler, deadLetters?: BatchHandler): void {
    this.discord.start(runner);
    this.api.start(runner);
    if (deadLetters) this.deadLetterQueue.start(deadLetters);
  }

  async stop(graceMs?: number): Promise<void> {
    await Promise.all([
      this.discord.stop(graceMs),
      this.api.stop(graceMs),
      this.deadLetterQueue.stop(graceMs),
    ]);
  }

  /** Resolves once every queue, the dead letters' included, is idle at the same moment. */
  async idle(): Promise<void> {
    const queues = [this.discord, this.api, this.deadLetterQueue];
    do {
      for (const queue of queues) await queue.idle();
    } while (queues.some((q) => q.stats().waiting + q.stats().inFlight > 0));
  }

  /** Every message that failed every delivery in either lane (settled or not). */
  deadLetters(): readonly DeadLetter[] {
    return [...this.discord.deadLetters(), ...this.api.deadLetters()];
  }

  stats(): Record<TurnLane, ReturnType<LocalTurnQueue['stats']>> {
    return { discord: this.discord.stats(), api: this.api.stats() };
  }
}
