import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createHash, randomUUID } from 'node:crypto';
import type { TurnQueue } from '../../ports/queue.ts';
import type { TurnRequest } from '../../ports/turn-request.ts';

/** The runner's SQS entry point, or anything shaped like it. */
export type BatchHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface LocalQueueOptions {
  /** Records per invocation at most, like the event source mapping's BatchSize. Default 10. */
  batchSize?: number;
  /** Invocations running at once, like the function's concurrency. Default 2. */
  concurrency?: number;
  /** A received message stays invisible this long unless deleted. Default 30 s. */
  visibilityTimeoutMs?: number;
  /** Receives before a message moves to the dead letters. Default 5. */
  maxReceiveCount?: number;
  /** A second enqueue of the same id within this window is dropped. Default 5 min. */
  deduplicationWindowMs?: number;
  /** An invocation still running after this is treated as crashed (Lambda's timeout). Default 15 min. */
  invocationTimeoutMs?: number;
  onDeadLetter?: (message: DeadLetter) => void;
  now?: () => number;
}

export interface DeadLetter {
  messageId: string;
  group: string;
  body: string;
  receiveCount: number;
}

interface Message {
  messageId: string;
  body: string;
  group: string;
  deduplicationId: string;
  sequence: number;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  visibleAt: number;
  inFlight: boolean;
}

/**
 * An in-process queue with SQS FIFO semantics, feeding the runner the same SQS-shaped batches
 * Lambda would: per-group order (a group with a message in flight or waiting out its visibility
 * timeout gives nothing else), a visibility timeout that hides received messages until they are
 * deleted, retries counted in ApproximateReceiveCount, dead letters after maxReceiveCount, and
 * deduplication by request id. Partial batch responses delete only the records that succeeded.
 *
 * @example
 * const queue = new LocalTurnQueue({ visibilityTimeoutMs: 30_000 });
 * queue.start(createRunnerHandler(deps));
 * await queue.enqueue(request);
 */
export class LocalTurnQueue implements TurnQueue {
  private readonly groups = new Map<string, Message[]>();
  private readonly dedup = new Map<string, number>();
  private readonly dead: DeadLetter[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly options: Required<Omit<LocalQueueOptions, 'onDeadLetter'>> &
    Pick<LocalQueueOptions, 'onDeadLetter'>;
  private handler?: BatchHandler;
  private timer?: NodeJS.Timeout;
  private sequence = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(options: LocalQueueOptions = {}) {
    this.options = {
      batchSize: 10,
      concurrency: 2,
      visibilityTimeoutMs: 30_000,
      maxReceiveCount: 5,
      deduplicationWindowMs: 5 * 60_000,
      invocationTimeoutMs: 15 * 60_000,
      now: Date.now,
      ...options,
    };
  }

  async enqueue(request: TurnRequest): Promise<void> {
    this.send(JSON.stringify(request), request.conversation, request.id);
  }

  /** Adds a raw message; `enqueue` is this with a TurnRequest. */
  send(body: string, group: string, deduplicationId: string): void {
    const now = this.options.now();
    const seen = this.dedup.get(deduplicationId);
    if (seen !== undefined && now - seen < this.options.deduplicationWindowMs) return;
    if (this.dedup.size >= 10_000) this.forgetOldIds(now);
    this.dedup.set(deduplicationId, now);
    const messages = this.groups.get(group) ?? [];
    messages.push({
      messageId: randomUUID(),
      body,
      group,
      deduplicationId,
      sequence: ++this.sequence,
      sentAt: now,
      receiveCount: 0,
      visibleAt: now,
      inFlight: false,
    });
    this.groups.set(group, messages);
    this.pump();
  }

  /** Starts delivering batches to `handler` (the runner's SQS handler). */
  start(handler: BatchHandler): void {
    this.handler = handler;
    this.pump();
  }

  /** Stops taking new batches and waits for the running ones (up to `graceMs`). */
  async stop(graceMs = 10_000): Promise<void> {
    this.handler = undefined;
    clearTimeout(this.timer);
    const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.allSettled([...this.running]), grace]);
  }

  /** Resolves once nothing waits and nothing is in flight (messages may have gone to dead letters). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  deadLetters(): readonly DeadLetter[] {
    return this.dead;
  }

  stats(): { waiting: number; inFlight: number; deadLetters: number } {
    let waiting = 0;
    let inFlight = 0;
    for (const messages of this.groups.values()) {
      for (const m of messages) {
        if (m.inFlight) inFlight++;
        else waiting++;
      }
    }
    return { waiting, inFlight, deadLetters: this.dead.length };
  }

  private isIdle(): boolean {
    return this.groups.size === 0 && this.running.size === 0;
  }

  private pump(): void {
    clearTimeout(this.timer);
    while (this.handler && this.running.size < this.options.concurrency) {
      const batch = this.receive();
      if (!batch.length) break;
      const invocation = this.invoke(this.handler, batch).finally(() => {
        this.running.delete(invocation);
        this.pump();
      });
      this.running.add(invocation);
    }
    this.scheduleWake();
    if (this.isIdle()) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Takes visible messages from the head of each available group, oldest group first. */
  private receive(): Message[] {
    const now = this.options.now();
    const batch: Message[] = [];
    for (const [group, messages] of [...this.groups]) {
      if (batch.length >= this.options.batchSize) break;
      if (messages.some((m) => m.inFlight)) continue;
      while (
        messages[0] &&
        messages[0].visibleAt <= now &&
        messages[0].receiveCount >= this.options.maxReceiveCount
      ) {
        this.toDeadLetters(messages.shift()!);
      }
      const taken: Message[] = [];
      for (const m of messages) {
        if (batch.length + taken.length >= this.options.batchSize || m.visibleAt > now) break;
        if (m.receiveCount >= this.options.maxReceiveCount) break;
        taken.push(m);
      }
      if (!messages.length) this.groups.delete(group);
      else if (taken.length) {
        // Served groups go to the back so busy conversations do not starve quiet ones.
        this.groups.delete(group);
        this.groups.set(group, messages);
      }
      for (const m of taken) {
        m.inFlight = true;
        m.receiveCount++;
        m.firstReceivedAt ??= now;
        m.visibleAt = now + this.options.visibilityTimeoutMs;
      }
      batch.push(...taken);
    }
    return batch;
  }

  private async invoke(handler: BatchHandler, batch: Message[]): Promise<void> {
    let failed = new Set(batch.map((m) => m.messageId));
    let timeout: NodeJS.Timeout | undefined;
    try {
      const crashed = new Promise<'timeout'>((resolve) => {
        timeout = setTimeout(() => resolve('timeout'), this.options.invocationTimeoutMs);
      });
      const response = await Promise.race([handler(this.event(batch)), crashed]);
      if (response !== 'timeout') {
        failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      }
    } catch {
      // A thrown handler fails the whole batch, as in Lambda: every record waits out its visibility timeout.
    } finally {
      clearTimeout(timeout);
    }
    for (const m of batch) {
      m.inFlight = false;
      if (!failed.has(m.messageId)) this.delete(m);
    }
  }

  private forgetOldIds(now: number): void {
    for (const [id, at] of this.dedup) {
      if (now - at >= this.options.deduplicationWindowMs) this.dedup.delete(id);
    }
  }

  private delete(message: Message): void {
    const messages = this.groups.get(message.group);
    if (!messages) return;
    const index = messages.indexOf(message);
    if (index >= 0) messages.splice(index, 1);
    if (!messages.length) this.groups.delete(message.group);
  }

  private toDeadLetters(message: Message): void {
    const letter: DeadLetter = {
      messageId: message.messageId,
      group: message.group,
      body: message.body,
      receiveCount: message.receiveCount,
    };
    this.dead.push(letter);
    this.options.onDeadLetter?.(letter);
  }

  /** Wakes the pump when the earliest hidden message becomes visible again. */
  private scheduleWake(): void {
    if (!this.handler) return;
    let earliest = Infinity;
    for (const messages of this.groups.values()) {
      const head = messages[0];
      if (head && !head.inFlight) earliest = Math.min(earliest, head.visibleAt);
    }
    if (earliest === Infinity) return;
    const delay = Math.max(0, earliest - this.options.now());
    this.timer = setTimeout(() => this.pump(), delay);
    this.timer.unref();
  }

  private event(batch: Message[]): SQSEvent {
    return { Records: batch.map((m) => this.record(m)) };
  }

  private record(m: Message): SQSRecord {
    return {
      messageId: m.messageId,
      receiptHandle: `${m.messageId}:${m.receiveCount}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
        SequenceNumber: String(m.sequence),
        MessageGroupId: m.group,
        MessageDeduplicationId: m.deduplicationId,
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(m.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:carrier-turns.fifo',
      awsRegion: 'local',
    };
  }
}
